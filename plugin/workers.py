"""pytest-xdist: each worker builds the scorecard of the gates it ran; the controller merges them and writes it once."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest

from plugin import settings
from plugin.diet.scoring import Tally

WORKER_OUTPUT_KEY = "recipe_scorecard"


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def hand_over(config: pytest.Config) -> None:
    """On a worker: put its scorecard where xdist sends it to the controller (JSON-safe values only)."""
    if settings.SCORECARD not in config.stash:
        return
    card = config.stash[settings.SCORECARD]
    payload = {
        "names": dict(card.names),
        "tallies": {label: {diet: asdict(t) for diet, t in per_diet.items()} for label, per_diet in card.tallies.items()},
        "sections": dict(card.sections),
    }
    config.workeroutput[WORKER_OUTPUT_KEY] = payload  # type: ignore[attr-defined]


def take_over(config: pytest.Config, workeroutput: dict[str, Any]) -> None:
    """On the controller: record a worker's tallies. Workers that ran the same session fixture
    computed the same tallies, so a later one replaces an earlier one (no double counting)."""
    payload = workeroutput.get(WORKER_OUTPUT_KEY)
    if not payload:
        return
    card = settings.scorecard(config)
    for label, per_diet in payload["tallies"].items():
        for diet, fields in per_diet.items():
            card.record(label, payload["names"][label], diet, Tally(**fields))
    for title, lines in payload.get("sections", {}).items():
        card.add_section(title, lines)
