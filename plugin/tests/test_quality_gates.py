"""The quality gates per run profile (tests_model/quality_gates/*.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.quality_gates import QualityGatesError, load_quality_gates
from plugin.report.scorecard import GatePolicy


def test_quality_gates_load() -> None:
    assert load_quality_gates("v3").min_pass_lower_bound == 0.95
    assert load_quality_gates("cpu").strict_property == "report"


def test_quality_gates_errors_name_the_key(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("scenarios_per_diet: 3\nbogus: 1\n")
    with pytest.raises(QualityGatesError, match=r"x\.yaml: unknown key 'bogus'"):
        load_quality_gates("x", tmp_path)


def test_the_scorecard_shows_each_run_profiles_gates() -> None:
    assert load_quality_gates("cpu").scorecard_policy("cpu") == GatePolicy("cpu", 0.40, 0.75, single_samples_gated=False)
    assert load_quality_gates("v3").scorecard_policy("v3") == GatePolicy("v3", 0.95, 0.95, single_samples_gated=True)
