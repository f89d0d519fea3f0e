"""The scorecard report: table, Markdown and chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.diet.scoring import Tally
from plugin.report.scorecard import ALL_DIETS, FAIL_COLOUR, FAIL_HATCH, GatePolicy, Scorecard

CPU = GatePolicy("cpu", per_diet=0.4, overall=0.75, single_samples_gated=False)
V3 = GatePolicy("v3", per_diet=0.95, overall=0.95, single_samples_gated=True)


def tally(n: int, passed: int) -> Tally:
    return Tally(n=n, passed=passed, format_ok=n, grounded=n, diet_safe=passed)


def gated_card(policy: GatePolicy | None = CPU) -> Scorecard:
    """vegan fails its gate (lower bound 0.09), nut-free just misses (0.39), halal passes; all diets (0.48) fails."""
    card = Scorecard(policy=policy)
    for diet, passed in (("halal", 12), ("nut-free", 8), ("vegan", 3)):
        card.record("adapter", "adapters/a", diet, tally(12, passed))
        card.record("compare (report only)", "models/b", diet, tally(12, 0))
    return card


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
    assert "Gated" not in report.read_text()  # no gate policy, nothing to say about gates


def test_gate_column_and_all_diets_row() -> None:
    header, rows = gated_card().rows()
    assert header[7] == "adapter gate" and "compare (report only) gate" not in header
    assert [(r[0], r[7]) for r in rows] == [("halal", "pass"), ("nut-free", "FAIL"), ("vegan", "FAIL"), (ALL_DIETS, "FAIL")]
    assert rows[-1][1:4] == ["36", "64%", "0.48-0.78"]


def test_markdown_says_what_is_gated_and_what_is_only_reported() -> None:
    reported = ["tests_model/test_seed_cases.py::test_b", "tests_model/test_seed_cases.py::test_a"]
    text = gated_card().markdown(reported=reported)
    section = text[text.index("## Gated") : text.index("![")]
    assert section == (
        "## Gated and reported verdicts (run profile cpu)\n\n"
        "Gated (a miss fails the run):\n\n"
        "- pass rate per diet (adapter): the Wilson 95% lower bound must reach 0.40\n"
        "- pass rate over all diets (adapter): the Wilson 95% lower bound must reach 0.75\n\n"
        "Reported only (shown, never fails the run):\n\n"
        "- the format, grounded and unverified columns on their own (format and grounded count towards pass)\n"
        '- the seed guide\'s cases and the per-diet property "not one forbidden ingredient" (single samples): '
        "a violation is an xfail with its evidence, not a failure\n"
        "- compare (report only): scored on the same scenarios, never gated\n\n"
        "This run reported 2 verdicts without gating on them (xfail with the evidence; not passes):\n\n"
        "- `tests_model/test_seed_cases.py::test_a`\n"
        "- `tests_model/test_seed_cases.py::test_b`\n\n"
    )


def test_markdown_where_the_single_samples_gate() -> None:
    card = Scorecard(policy=V3)
    card.record("adapter", "models/v3", "vegan", tally(100, 99))
    text = card.markdown()
    gated = text[text.index("Gated (") : text.index("Reported only")]
    assert '- the seed guide\'s cases and the per-diet property "not one forbidden ingredient" (single samples)\n' in gated
    assert "must reach 0.95" in gated and "This run reported" not in text


@pytest.fixture
def figure():
    import matplotlib.pyplot as plt

    fig = gated_card().figure()
    yield fig
    plt.close(fig)


def test_chart_draws_each_gates_threshold(figure) -> None:
    [ax] = figure.axes
    thresholds = {line.get_gid(): tuple(line.get_ydata()) for line in ax.get_lines() if line.get_gid()}
    assert thresholds == {
        "threshold:halal": (0.4, 0.4),
        "threshold:nut-free": (0.4, 0.4),
        "threshold:vegan": (0.4, 0.4),
        f"threshold:{ALL_DIETS}": (0.75, 0.75),
    }


def test_chart_marks_the_failing_diets(figure) -> None:
    from matplotlib.colors import to_rgba

    [ax] = figure.axes
    failing = [p for p in ax.patches if p.get_gid()]
    assert sorted(p.get_gid() for p in failing) == ["fail:all diets", "fail:nut-free", "fail:vegan"]  # not the compare bars
    assert all(p.get_facecolor() == to_rgba(FAIL_COLOUR) and p.get_hatch() == FAIL_HATCH for p in failing)
    labels = sorted(round(t.get_position()[0], 3) for t in ax.texts if t.get_text() == "FAIL")
    assert labels == sorted(round(p.get_x() + p.get_width() / 2, 3) for p in failing)
    others = [p for p in ax.patches if not p.get_gid() and p.get_height() > 0]
    assert others and all(p.get_facecolor() != to_rgba(FAIL_COLOUR) and not p.get_hatch() for p in others)


def test_chart_without_gates_draws_no_threshold_or_failure() -> None:
    import matplotlib.pyplot as plt

    fig = gated_card(policy=None).figure()
    [ax] = fig.axes
    assert not [line for line in ax.get_lines() if line.get_gid()] and not [p for p in ax.patches if p.get_gid()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["halal", "nut-free", "vegan"]
    plt.close(fig)
