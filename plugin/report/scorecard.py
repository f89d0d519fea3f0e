"""The per-diet scorecard: a terminal table, a Markdown report and a PNG chart.

With the run profile's gate policy, the table has a gate column and an "all diets" row, the
chart draws each gate's threshold and marks the failing diets, and the Markdown says which
verdicts this run profile gates on and which it only reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugin.atomic import save_figure, write_text
from plugin.diet.scoring import Tally, total_tally
from plugin.report.gates import PassRateGate, verdict

MARKDOWN = "scorecard.md"
CHART = "scorecard.png"
ALL_DIETS = "all diets"
FAIL_COLOUR = "tab:red"
FAIL_HATCH = "//"


@dataclass(frozen=True)
class GatePolicy:
    """What a run profile gates on (from its quality gates file), as the scorecard shows it."""

    run_profile: str
    per_diet: float  # each diet's Wilson 95% lower bound must reach this
    overall: float  # the same over all diets together
    single_samples_gated: bool  # the seed's cases and the "not one violation" property: gate, or report as xfail
    label: str = "adapter"  # the scored adapter the gates apply to; any other label is a report

    def threshold(self, group: str) -> float:
        return self.overall if group == ALL_DIETS else self.per_diet


@dataclass
class Scorecard:
    # label ("adapter", "compare") -> diet -> tally
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    policy: GatePolicy | None = None
    sections: dict[str, list[str]] = field(default_factory=dict)  # title -> Markdown lines (power, paired gate)

    def add_section(self, title: str, lines: list[str]) -> None:
        self.sections[title] = list(lines)

    def record(self, label: str, name: str, diet: str, tally: Tally) -> None:
        self.names[label] = name
        self.tallies.setdefault(label, {})[diet] = tally

    def diets(self) -> list[str]:
        return sorted({d for per_diet in self.tallies.values() for d in per_diet})

    def groups(self) -> list[str]:
        """The table's rows and the chart's bar groups: the diets, then all diets together where that is gated."""
        return self.diets() + ([ALL_DIETS] if self.policy else [])

    def tally(self, label: str, group: str) -> Tally | None:
        per_diet = self.tallies[label]
        return total_tally(per_diet.values()) if group == ALL_DIETS else per_diet.get(group)

    def gated(self, label: str) -> bool:
        return self.policy is not None and label == self.policy.label

    def failed(self, label: str, group: str) -> bool | None:
        """Whether the gate on ``group`` failed for ``label``; None where nothing is gated."""
        tally = self.tally(label, group)
        if self.policy is None or not self.gated(label) or tally is None or not tally.n:
            return None
        return not PassRateGate(tally, self.policy.threshold(group)).passed

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
            header += [f"{prefix}gate"] if self.gated(label) else []
        if len(labels) == 2:
            header.append("delta pass")
        body = []
        for group in self.groups():
            row = [group]
            for label in labels:
                row += self._cells(self.tally(label, group))
                if self.gated(label):
                    failed = self.failed(label, group)
                    row.append("-" if failed is None else verdict(not failed))
            if len(labels) == 2:
                a, b = (self.tally(label, group) for label in labels)
                row.append(f"{(b.rate() - a.rate()) * 100:+.0f} pts" if a and b else "-")
            body.append(row)
        return header, body

    def terminal_lines(self) -> list[str]:
        header, body = self.rows()
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        fmt = lambda row: "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))  # noqa: E731
        names = [f"{label}: {name}" for label, name in self.names.items()]
        return names + [fmt(header)] + [fmt(r) for r in body]

    def policy_lines(self, reported: Sequence[str] = ()) -> list[str]:
        """Which verdicts this run profile gates on and which it only reports, and what this run reported."""
        p = self.policy
        if p is None:
            return []
        single = 'the seed guide\'s cases and the per-diet property "not one forbidden ingredient" (single samples)'
        gated = [
            f"- pass rate per diet ({p.label}): the Wilson 95% lower bound must reach {p.per_diet:.2f}",
            f"- pass rate over all diets ({p.label}): the Wilson 95% lower bound must reach {p.overall:.2f}",
        ]
        shown = ["- the format, grounded and unverified columns on their own (format and grounded count towards pass)"]
        if p.single_samples_gated:
            gated.append(f"- {single}")
        else:
            shown.append(f"- {single}: a violation is an xfail with its evidence, not a failure")
        shown += [f"- {label}: scored on the same scenarios, never gated" for label in self.tallies if label != p.label]
        lines = [f"## Gated and reported verdicts (run profile {p.run_profile})", "", "Gated (a miss fails the run):", ""]
        lines += [*gated, "", "Reported only (shown, never fails the run):", "", *shown, ""]
        if reported:
            lines += [f"This run reported {len(reported)} verdicts without gating on them (xfail with the evidence; not passes):"]
            lines += ["", *(f"- `{nodeid}`" for nodeid in sorted(reported)), ""]
        return lines

    def markdown(self, chart: str | None = CHART, reported: Sequence[str] = ()) -> str:
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
        lines += self.policy_lines(reported)
        for title, section in self.sections.items():
            lines += [f"## {title}", "", *section, ""]
        lines += [f"![pass rate per diet]({chart})" if chart else f"Chart: `{CHART}` in the report folder.", ""]
        return "\n".join(lines)

    def figure(self) -> Any:
        """The chart as a matplotlib figure: bars with Wilson intervals; where gated, a threshold line per
        group (gid ``threshold:<group>``) and failing bars in red, hatched, labelled FAIL (gid ``fail:<group>``)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch

        groups = self.groups()
        fig, ax = plt.subplots(figsize=(max(6, len(groups) * 1.1) + 3, 4.4))
        width = 0.8 / max(1, len(self.tallies))
        for i, label in enumerate(self.tallies):
            self._bars(ax, label, [g + i * width for g in range(len(groups))], width)
        if self.policy and ALL_DIETS in groups:
            ax.axvline(len(groups) - 1.5 + width * (len(self.tallies) - 1) / 2, color="grey", linewidth=0.6)
        ax.set_xticks([g + width * (len(self.tallies) - 1) / 2 for g in range(len(groups))], groups, rotation=30, ha="right")
        title = "Diet compliance per diet" + (f" (run profile {self.policy.run_profile})" if self.policy else "")
        ax.set(ylim=(0, 1.15), ylabel="pass rate (Wilson 95% CI)", title=title)
        handles, _ = ax.get_legend_handles_labels()
        if any(self.failed(label, g) for label in self.tallies for g in groups):
            handles.append(
                Patch(facecolor=FAIL_COLOUR, hatch=FAIL_HATCH, edgecolor="darkred", label="FAIL: the lower bound is short of it")
            )
        ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the bars, not on them
        fig.tight_layout()
        return fig

    def _bars(self, ax: Any, label: str, xs: list[float], width: float) -> None:
        tallies = [self.tally(label, g) for g in self.groups()]
        rates = [t.rate() if t else 0.0 for t in tallies]
        lows = [r - t.wilson()[0] if t else 0.0 for r, t in zip(rates, tallies)]
        highs = [t.wilson()[1] - r if t else 0.0 for r, t in zip(rates, tallies)]
        bars = ax.bar(xs, rates, width, yerr=[lows, highs], capsize=3, label=f"{label}: {Path(self.names[label]).name}")
        if self.policy is None or not self.gated(label):
            return
        for n, (group, bar, x) in enumerate(zip(self.groups(), bars.patches, xs)):
            threshold = self.policy.threshold(group)
            ax.plot(
                [x - width / 2, x + width / 2],
                [threshold, threshold],
                color="black",
                linestyle="--",
                linewidth=1.5,
                gid=f"threshold:{group}",
                zorder=3,
                label="gate: the Wilson lower bound must reach this" if n == 0 else None,
            )
            if self.failed(label, group):
                bar.set(facecolor=FAIL_COLOUR, hatch=FAIL_HATCH, edgecolor="darkred", gid=f"fail:{group}")
                ax.text(x, rates[n] + highs[n] + 0.02, "FAIL", ha="center", fontsize=8, color="darkred", fontweight="bold")

    def chart(self, path: Path) -> None:
        import matplotlib.pyplot as plt

        fig = self.figure()
        save_figure(fig, path)
        plt.close(fig)

    def write(self, folder: Path, reported: Sequence[str] = ()) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        self.chart(folder / CHART)
        md = folder / MARKDOWN
        write_text(md, self.markdown(reported=reported))
        return md
