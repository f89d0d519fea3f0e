"""The scorecard report: table, Markdown and chart."""

from __future__ import annotations

from pathlib import Path

from plugin.diet.scoring import Tally
from plugin.report.scorecard import Scorecard


def test_scorecard_side_by_side(tmp_path: Path) -> None:
    card = Scorecard()
    for label, passed in (("adapter", 9), ("compare", 6)):
        tally = Tally(n=10, passed=passed, format_ok=10, grounded=10, diet_safe=passed)
        card.record(label, f"adapters/{label}", "vegan", tally)
    header, rows = card.rows()
    assert header[-1] == "delta pass" and rows == [
        ["vegan", "10", "90%", "0.60-0.98", "100%", "100%", "0", "10", "60%", "0.31-0.83", "100%", "100%", "0", "-30 pts"]
    ]
    report = card.write(tmp_path)
    assert "| vegan | 10 | 90% |" in report.read_text() and (tmp_path / "scorecard.png").stat().st_size > 1000
