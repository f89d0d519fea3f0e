"""The per-diet scorecard: a terminal table, a Markdown report and a PNG chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plugin.atomic import save_figure, write_text
from plugin.diet.scoring import Tally

MARKDOWN = "scorecard.md"
CHART = "scorecard.png"


@dataclass
class Scorecard:
    # label ("adapter", "compare") -> diet -> tally
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def record(self, label: str, name: str, diet: str, tally: Tally) -> None:
        self.names[label] = name
        self.tallies.setdefault(label, {})[diet] = tally

    def diets(self) -> list[str]:
        return sorted({d for per_diet in self.tallies.values() for d in per_diet})

    def _cells(self, tally: Tally | None) -> list[str]:
        if tally is None or not tally.n:
            return ["-"] * 6
        lo, hi = tally.wilson()
        return [
            str(tally.n),
            f"{tally.rate():.0%}",
            f"{lo:.2f}-{hi:.2f}",
            f"{tally.rate('format_ok'):.0%}",
            f"{tally.rate('grounded'):.0%}",
            str(tally.unverified),
        ]

    def rows(self) -> tuple[list[str], list[list[str]]]:
        labels = list(self.tallies)
        header = ["diet"]
        for label in labels:
            prefix = f"{label} " if len(labels) > 1 else ""
            header += [
                f"{prefix}n",
                f"{prefix}pass",
                f"{prefix}95% CI",
                f"{prefix}format",
                f"{prefix}grounded",
                f"{prefix}unverified",
            ]
        if len(labels) == 2:
            header.append("delta pass")
        body = []
        for diet in self.diets():
            row = [diet]
            for label in labels:
                row += self._cells(self.tallies[label].get(diet))
            if len(labels) == 2:
                a, b = (self.tallies[label].get(diet) for label in labels)
                row.append(f"{(b.rate() - a.rate()) * 100:+.0f} pts" if a and b else "-")
            body.append(row)
        return header, body

    def terminal_lines(self) -> list[str]:
        header, body = self.rows()
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        fmt = lambda row: "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))  # noqa: E731
        names = [f"{label}: {name}" for label, name in self.names.items()]
        return names + [fmt(header)] + [fmt(r) for r in body]

    def markdown(self, chart: str | None = CHART) -> str:
        """The report; ``chart=None`` names the chart instead of linking it (a CI job summary has no files beside it)."""
        header, body = self.rows()
        lines = ["# Recipe model scorecard", ""]
        lines += [f"- **{label}**: `{name}`" for label, name in self.names.items()]
        lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        lines += ["", "pass = format ok, every selected ingredient in the pantry, and no violation of the diet (oracle).", ""]
        lines += [
            "unverified = answers with an ingredient line naming no food the oracle knows (not checked; strict mode fails them).",
            "",
        ]
        lines += [f"![pass rate per diet]({chart})" if chart else f"Chart: `{CHART}` in the report folder.", ""]
        return "\n".join(lines)

    def chart(self, path: Path) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        diets = self.diets()
        fig, ax = plt.subplots(figsize=(max(6, len(diets) * 1.1), 4))
        width = 0.8 / max(1, len(self.tallies))
        for i, (label, per_diet) in enumerate(self.tallies.items()):
            xs = [d + i * width for d in range(len(diets))]
            rates = [per_diet[d].rate() if d in per_diet else 0 for d in diets]
            lows = [r - per_diet[d].wilson()[0] if d in per_diet else 0 for r, d in zip(rates, diets)]
            highs = [per_diet[d].wilson()[1] - r if d in per_diet else 0 for r, d in zip(rates, diets)]
            ax.bar(xs, rates, width, yerr=[lows, highs], capsize=3, label=f"{label}: {Path(self.names[label]).name}")
        ax.set_xticks([d + width * (len(self.tallies) - 1) / 2 for d in range(len(diets))], diets, rotation=30, ha="right")
        ax.set(ylim=(0, 1.05), ylabel="pass rate (Wilson 95% CI)", title="Diet compliance per diet")
        ax.legend(fontsize=8)
        fig.tight_layout()
        save_figure(fig, path)
        plt.close(fig)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        self.chart(folder / CHART)
        md = folder / MARKDOWN
        write_text(md, self.markdown())
        return md
