"""Time to quality: gate pass rate against training samples seen (``python -m training.sweep --plot``)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from plugin.atomic import save_figure


def pass_rate(row: dict[str, Any]) -> float:
    total = row["counts"]["all"]
    return total["passed"] / total["n"]


def samples_seen(row: dict[str, Any]) -> int:
    return int(row["iteration"] * row["batch_size"])


def plot_time_to_quality(rows: list[dict[str, Any]], path: Path, target: float, seconds_per_sample: float) -> None:
    """One line per variant; the gate's target as a dashed line; a second axis in CPU minutes at the measured pace."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_variant: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        by_variant[row["variant"]].append((samples_seen(row), pass_rate(row)))
    fig, ax = plt.subplots(figsize=(10, 4.8))
    markers = "osD^v<>ph*"
    for i, (name, points) in enumerate(sorted(by_variant.items())):
        points.sort()
        ax.plot(*zip(*points), marker=markers[i % len(markers)], markersize=5, label=name, color=plt.cm.tab20(i % 20))
    ax.axhline(target, linestyle="--", color="black", linewidth=1, label=f"cpu gates ({target:.0%})")
    ax.set(xlabel="training samples seen (iterations x batch, log scale)", ylabel="gate scenarios passed", ylim=(0, 1))
    ax.set_xscale("log")

    def to_minutes(samples: Any) -> Any:
        return samples * seconds_per_sample / 60

    def to_samples(minutes: Any) -> Any:
        return minutes * 60 / seconds_per_sample

    minutes = ax.secondary_xaxis("top", functions=(to_minutes, to_samples))
    minutes.set_xlabel(f"CPU minutes on this machine at {seconds_per_sample:.1f} s per sample")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: one row per scored checkpoint, best first."""
    out = ["| variant | iterations | samples | pass | weakest diet |", "|---|---:|---:|---:|---|"]
    for row in sorted(rows, key=pass_rate, reverse=True):
        diets = {k: v for k, v in row["counts"].items() if k != "all"}
        weakest = min(diets, key=lambda d: diets[d]["passed"] / diets[d]["n"])
        low = diets[weakest]
        out.append(
            f"| {row['variant']} | {row['iteration']} | {samples_seen(row)} | {pass_rate(row):.0%} "
            f"| {weakest} {low['passed']}/{low['n']} |"
        )
    return "\n".join(out)
