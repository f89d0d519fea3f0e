"""Greedy recipes for a golden set of prompts, snapshotted per model + adapter.

Files: ``__snapshots__/<model>--<adapter>/test_snapshots/test_golden_recipe[<diet>].txt``.
`pytest tests_model/test_snapshots.py --snapshot-update` records them; a retrained adapter
with the same name then shows a readable diff of every recipe that changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.diet import Scenario
from plugin.diet.suite_cases import GOLDEN
from plugin.snapshots import extension_for, render, snapshot_key

pytestmark = pytest.mark.model


@pytest.fixture
def recipe_snapshot(snapshot, request, base_model_path, recipe_adapter):
    key = snapshot_key(base_model_path, recipe_adapter.path)
    folder = Path(request.node.path).parent / "__snapshots__" / key
    if not folder.is_dir() and not request.config.option.update_snapshots:
        pytest.skip(f"no recipe snapshots recorded for {key}: record them with --snapshot-update")
    return snapshot.use_extension(extension_for(key))


@pytest.mark.parametrize("scenario", GOLDEN, ids=[g.diet for g in GOLDEN])
def test_golden_recipe(scenario: Scenario, recipe_engine, greedy, recipe_snapshot) -> None:
    [output] = recipe_engine.generate([recipe_engine.render(scenario)], greedy)
    assert render(scenario, output) == recipe_snapshot
