"""Time to quality: train recipe variants from the bare model and score checkpoints on the gate scenarios.

``python -m training.sweep training/sweeps/levers.yaml --out runs/levers --jobs 1``

The sweep file names a base config and variants, each a set of config overrides (the config's own keys, so
every lever is a YAML value) and the iterations to score.  Each variant trains with ``finetune_mlx_v3.py`` and
each listed checkpoint is scored by ``training.evaluate``.  ``results.jsonl`` gets one row per scored checkpoint
as soon as it is known, so a sweep stopped by a deadline keeps what it finished; ``results.png`` plots them, and
``--report FILE`` redraws a results file (``--report docs/time_to_quality.jsonl`` is the README's curve).
``--jobs`` runs variants side by side: on a GPU one small model leaves the device idle; on 2 CPU cores keep 1.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.atomic import write_text
from plugin.diet.stats import min_passes
from plugin.paths import QUALITY_GATES_DIR, from_root
from plugin.report.time_to_quality import plot_time_to_quality, table
from plugin.runtime.adapter_folder import SUMMARY
from training.config import ConfigError, load_config, load_yaml_mapping

RESULTS = "results.jsonl"


@dataclass(frozen=True)
class Variant:
    name: str
    overrides: dict[str, Any]
    score_at: tuple[int, ...]


def read_sweep(path: Path) -> tuple[Path, list[Variant]]:
    raw = load_yaml_mapping(path, ConfigError)
    if "base" not in raw or not isinstance(raw.get("variants"), dict) or not raw["variants"]:
        raise ConfigError(f"{path}: needs `base` (a config file) and a non-empty `variants` mapping")
    variants = []
    for name, spec in raw["variants"].items():
        spec = dict(spec or {})
        score_at = spec.pop("score_at", None)
        if not isinstance(score_at, list) or not all(isinstance(i, int) and i > 0 for i in score_at):
            raise ConfigError(f"{path}: variants.{name}.score_at must be a list of positive iterations")
        variants.append(Variant(str(name), spec, tuple(score_at)))
    return from_root(raw["base"]), variants


def variant_config(base: Path, variant: Variant, folder: Path) -> Path:
    """The base YAML with the variant's overrides, validated by the trainer's own loader before anything runs."""
    raw = load_yaml_mapping(base, ConfigError)
    for key, value in variant.overrides.items():
        raw[key] = {**raw.get(key, {}), **value} if isinstance(value, dict) and isinstance(raw.get(key), dict) else value
    if "lr_schedule" in variant.overrides and "learning_rate" not in variant.overrides:
        raw["learning_rate"] = raw["lr_schedule"]["arguments"][0]  # the schedule drives it; say so in the config
    raw["adapter_path"] = str(folder / "adapter")
    raw["save_every"] = math.gcd(*variant.score_at)
    if "iters" not in variant.overrides:
        raw["iters"] = max(variant.score_at)
    raw["epochs"] = None  # the base's claim about its own schedule does not hold for a variant's
    path = folder / "config.yaml"
    write_text(path, json.dumps(raw, indent=1))  # JSON is YAML
    cfg = load_config(path)
    if max(variant.score_at) > cfg.iters:
        raise ConfigError(f"variant {variant.name}: score_at {max(variant.score_at)} is past iters={cfg.iters}")
    return path


def checkpoint_folder(adapter: Path, iteration: int) -> Path:
    """A folder mlx-lm's ``load`` reads: the adapter config beside one numbered checkpoint."""
    folder = adapter.parent / f"at_{iteration:07d}"
    folder.mkdir(exist_ok=True)
    shutil.copy(adapter / "adapter_config.json", folder / "adapter_config.json")
    shutil.copy(adapter / f"{iteration:07d}_adapters.safetensors", folder / "adapters.safetensors")
    return folder


def run_logged(cmd: list[str], log: Path) -> None:
    with log.open("a") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=True)


def run_variant(variant: Variant, base: Path, out: Path, model: str | None, n: int, extra_eval: list[str]) -> None:
    folder = out / variant.name
    folder.mkdir(parents=True, exist_ok=True)
    config = variant_config(base, variant, folder)
    batch_size = load_config(config).batch_size
    log = folder / "log.txt"
    model_args = ["--model", model] if model else []
    tic = time.perf_counter()
    train = [
        sys.executable,
        "training/finetune_mlx_v3.py",
        "--config",
        str(config),
        "--warmup-steps",
        "0",
        "--force",
        *model_args,
    ]
    run_logged(train, log)
    train_seconds = time.perf_counter() - tic
    summary_file = folder / "adapter" / SUMMARY
    summary = json.loads(summary_file.read_text()) if summary_file.is_file() else {}
    for iteration in variant.score_at:
        scores = folder / f"scores_{iteration:07d}.json"
        ckpt = checkpoint_folder(folder / "adapter", iteration)
        run_logged(
            [
                sys.executable,
                "-m",
                "training.evaluate",
                "--adapter-path",
                str(ckpt),
                "--n",
                str(n),
                "--out",
                str(scores),
                *model_args,
                *extra_eval,
            ],
            log,
        )
        counts = json.loads(scores.read_text())["counts"]
        row = {
            "variant": variant.name,
            "overrides": variant.overrides,
            "iteration": iteration,
            "batch_size": batch_size,
            "n": n,
            "train_seconds": round(train_seconds, 1),
            "summary": summary,
            "counts": counts,
        }
        with (out / RESULTS).open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(f"{variant.name} @ {iteration}: pass {counts['all']['passed']}/{counts['all']['n']}", flush=True)


def gate_target(profile: str = "cpu", n: int = 256) -> float:
    """The share of ``n`` gate scenarios the profile's overall gate needs (its Wilson lower bound, as passes)."""
    gates = load_yaml_mapping(QUALITY_GATES_DIR / f"{profile}.yaml", ConfigError)
    return min_passes(n, float(gates["min_overall_lower_bound"])) / n


def report(results: Path, seconds_per_sample: float) -> str:
    """The table of a results file, and its plot beside it (``results.jsonl`` -> ``results.png``)."""
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    plot_time_to_quality(rows, results.with_suffix(".png"), gate_target(), seconds_per_sample)
    return table(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.sweep", description=__doc__.splitlines()[0])
    p.add_argument("sweep", type=Path, nargs="?", help="sweep YAML: base config and variants")
    p.add_argument("--out", type=Path, help="folder for adapters, scores and results.jsonl")
    p.add_argument("--jobs", type=int, default=1, help="variants trained and scored side by side")
    p.add_argument("--n", type=int, default=96, help="gate scenarios per scored checkpoint")
    p.add_argument("--model", help="base model folder (default: the config's)")
    p.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    p.add_argument("--eval-arg", action="append", default=[], help="extra argument for training.evaluate")
    p.add_argument("--report", type=Path, metavar="RESULTS", help="only print the table of a results file and plot it")
    p.add_argument("--seconds-per-sample", type=float, default=2.6, help="CPU pace for the plot's minutes axis")
    args = p.parse_args(argv)
    if args.report:
        print(report(args.report, args.seconds_per_sample))
        return 0
    if args.sweep is None or args.out is None:
        p.error("a sweep file and --out are needed (or --report RESULTS)")
    try:
        base, variants = read_sweep(args.sweep)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    variants = [v for v in variants if not args.only or v.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    failed = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {v.name: pool.submit(run_variant, v, base, args.out, args.model, args.n, args.eval_arg) for v in variants}
        for name, future in futures.items():
            try:
                future.result()
            except (subprocess.CalledProcessError, ConfigError, OSError) as exc:
                failed += 1
                print(f"{name}: failed ({exc}); see {args.out / name / 'log.txt'}", file=sys.stderr)
    if (args.out / RESULTS).is_file():
        print(report(args.out / RESULTS, args.seconds_per_sample))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
