"""Render saved pytest-benchmark runs into a Markdown regression report with PNG trends.

    pytest tests_perf --benchmark-autosave            # each run saves .benchmarks/<machine>/NNNN_*.json
    python -m plugin.report.perf_report [--storage .benchmarks] [--out reports/perf] [--baseline 0001] [--max-regression 10]

Every numeric ``extra_info`` figure of every benchmark is a metric.  The report
compares the baseline run (the oldest, or ``--baseline``) with the newest: %
change and pass/fail, where a metric regresses when it moves more than
``--max-regression`` percent in its bad direction (names ending in ``_gb`` or
``seconds`` are lower-is-better).  Exit status 1 when any metric regressed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from plugin.atomic import save_figure, write_text
from plugin.diet.errors import InputError, MissingFileError, SuiteError
from plugin.paths import BENCHMARKS_DIR, REPORTS_DIR, from_root

LOWER_IS_BETTER = ("_gb", "seconds")


@dataclass(frozen=True)
class Run:
    name: str
    metrics: dict[str, float]  # "benchmark::metric" -> value


def load_runs(storage: Path) -> list[Run]:
    files = sorted(storage.glob("*/*.json"), key=lambda p: p.name)
    if not files:
        raise MissingFileError(f"{storage}: no saved benchmark runs; run `pytest tests_perf --benchmark-autosave` first")
    runs = []
    for file in files:
        try:
            data = json.loads(file.read_text())
        except json.JSONDecodeError as exc:
            raise InputError(f"{file}: not a pytest-benchmark JSON file ({exc.msg} at line {exc.lineno})") from None
        metrics = {}
        for bench in data.get("benchmarks", []):
            for key, value in bench.get("extra_info", {}).items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    metrics[f"{bench['name']}::{key}"] = float(value)
            metrics[f"{bench['name']}::mean_seconds"] = float(bench["stats"]["mean"])
        runs.append(Run(file.stem, metrics))
    return runs


def change(metric: str, base: float, new: float) -> float:
    """Percent change, positive when the metric got better."""
    if base == 0:
        return 0.0
    pct = (new - base) / abs(base) * 100
    return -pct if metric.endswith(LOWER_IS_BETTER) else pct


def table(runs: list[Run], baseline: Run, max_regression: float) -> tuple[list[str], bool]:
    current = runs[-1]
    lines = ["| metric | baseline | current | change | verdict |", "|---|---|---|---|---|"]
    regressed = False
    for metric in sorted(set(baseline.metrics) & set(current.metrics)):
        base, new = baseline.metrics[metric], current.metrics[metric]
        delta = change(metric, base, new)
        bad = delta < -max_regression
        regressed |= bad
        lines.append(f"| `{metric}` | {base:.4g} | {new:.4g} | {delta:+.1f}% | {'FAIL' if bad else 'pass'} |")
    return lines, regressed


def plot(runs: list[Run], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_bench: dict[str, list[str]] = {}
    for metric in sorted({m for r in runs for m in r.metrics}):
        by_bench.setdefault(metric.split("::")[0], []).append(metric)
    paths = []
    for bench, metrics in by_bench.items():
        fig, axes = plt.subplots(len(metrics), 1, figsize=(7, 2.2 * len(metrics)), squeeze=False)
        for ax, metric in zip(axes[:, 0], metrics):
            points = [(i, r.metrics[metric]) for i, r in enumerate(runs) if metric in r.metrics]
            ax.plot(*zip(*points), marker="o")
            ax.set_title(metric.split("::")[1], fontsize=9)
            ax.set_xticks(range(len(runs)), [r.name[:4] for r in runs], fontsize=7)
            ax.grid(alpha=0.3)
        fig.suptitle(bench, fontsize=10)
        fig.tight_layout()
        path = out / f"{bench}.png"
        save_figure(fig, path, dpi=90)
        plt.close(fig)
        paths.append(path)
    return paths


def report(storage: Path, out: Path, baseline_name: str | None, max_regression: float) -> tuple[Path, bool]:
    runs = load_runs(storage)
    baseline = runs[0]
    if baseline_name:
        matches = [r for r in runs if r.name.startswith(baseline_name)]
        if not matches:
            raise InputError(f"--baseline {baseline_name}: no saved run starts with it (have {', '.join(r.name for r in runs)})")
        baseline = matches[0]
    out.mkdir(parents=True, exist_ok=True)
    lines, regressed = table(runs, baseline, max_regression)
    charts = plot(runs, out)
    text = [
        f"# Performance report: {baseline.name} -> {runs[-1].name}",
        "",
        f"{len(runs)} saved runs; a metric fails when it is more than {max_regression:g}% worse than the baseline.",
        "",
        *lines,
        "",
    ]
    text += [f"![{c.stem}]({c.name})" for c in charts]
    md = out / "perf_report.md"
    write_text(md, "\n".join(text) + "\n")
    return md, regressed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m plugin.report.perf_report", description=__doc__.splitlines()[0])
    p.add_argument("--storage", type=Path, default=from_root(BENCHMARKS_DIR), help="pytest-benchmark's saved runs")
    p.add_argument("--out", type=Path, default=from_root(REPORTS_DIR) / "perf")
    p.add_argument("--baseline", help="name prefix of the baseline run (default: the oldest)")
    p.add_argument("--max-regression", type=float, default=10.0, help="percent worse that fails (default 10)")
    args = p.parse_args(argv)
    try:
        md, regressed = report(args.storage, args.out, args.baseline, args.max_regression)
    except SuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(md.read_text())
    return 1 if regressed else 0


if __name__ == "__main__":
    sys.exit(main())
