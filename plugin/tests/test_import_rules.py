"""The import rules hold for the real source, and the checker catches each kind of violation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugin.paths import ROOT
from plugin.tests.import_rules import SOURCE_PACKAGES, room, violations


def test_the_house_keeps_its_import_rules() -> None:
    assert violations(ROOT) == []


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A copy of the source packages to plant violations in."""
    for package in SOURCE_PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "data", "cases"))
    assert violations(tmp_path) == []
    return tmp_path


def plant(house: Path, module: str, line: str) -> None:
    path = house / module
    path.write_text(path.read_text() + f"\n{line}\n")


@pytest.mark.parametrize(
    ("module", "line", "message"),
    [
        ("plugin/diet/lexicon.py", "import pytest", "only the pytest layer imports pytest (plugin.diet.lexicon is diet)"),
        ("plugin/diet/recipe.py", "import yaml", "plugin.diet is stdlib only, but imports yaml"),
        ("plugin/diet/chat.py", "import jinja2", "plugin.diet is stdlib only, but imports jinja2"),
        ("plugin/diet/recipe.py", "from plugin.runtime import blas", "diet may not import plugin.runtime.blas (runtime)"),
        ("plugin/runtime/generation.py", "from plugin import fixtures", "runtime may not import plugin.fixtures (pytest layer)"),
        ("plugin/report/scorecard.py", "from plugin.settings import get", "report may not import plugin.settings (pytest layer)"),
        ("training/trainer.py", "from plugin import options", "training may not import plugin.options (pytest layer)"),
        ("training/config.py", "import hypothesis", "only the pytest layer imports hypothesis (training.config is training)"),
        ("plugin/runtime/backend.py", "import mlx.core as mx", "mlx.core imported at module level"),
        ("plugin/atomic.py", "def f():\n    import numpy", "plugin.paths/plugin.atomic is stdlib only, but imports numpy"),
    ],
    ids=[
        "pytest-in-diet",
        "yaml-in-diet",
        "eager-jinja2",
        "diet-to-runtime",
        "runtime-to-pytest",
        "report-to-pytest",
        "training-to-pytest",
        "hypothesis-in-training",
        "eager-mlx",
        "numpy-in-base",
    ],
)
def test_a_planted_violation_is_caught(house: Path, module: str, line: str, message: str) -> None:
    plant(house, module, line)
    found = violations(house)
    assert len([v for v in found if message in v]) == 1, found
    assert found[0].startswith(f"{module}:"), found


def test_a_cycle_between_rooms_is_caught(house: Path) -> None:
    plant(house, "plugin/runtime/generation.py", "def f():\n    from training import config")
    found = violations(house)
    assert "runtime may not import training.config (training)" in found[0]
    assert "import cycle between rooms: runtime -> training -> runtime" in found


def test_lazy_jinja2_in_the_domain_is_allowed(house: Path) -> None:
    plant(house, "plugin/diet/chat.py", "def render():\n    import jinja2")
    assert violations(house) == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("plugin.diet", "diet"),
        ("plugin.diet.lexicon", "diet"),
        ("plugin.runtime.blas", "runtime"),
        ("plugin.report.scorecard", "report"),
        ("plugin.paths", "base"),
        ("plugin.atomic", "base"),
        ("plugin.settings", "pytest layer"),
        ("training.trainer", "training"),
        ("json", None),
        ("mlx_lm", None),
    ],
)
def test_rooms(module: str, expected: str | None) -> None:
    assert room(module) == expected
