"""The training run's loss curve (``loss_curve.png`` in the adapter folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugin.atomic import save_figure


def plot_losses(metrics: list[dict[str, Any]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for kind, label in (("train_loss", "train"), ("val_loss", "validation")):
        points = [(r["iteration"], r[kind]) for r in metrics if kind in r]
        if points:
            ax.plot(*zip(*points), marker="o", markersize=3, label=label)
    ax.set(xlabel="iteration", ylabel="loss", title=title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    save_figure(fig, path)
    plt.close(fig)
