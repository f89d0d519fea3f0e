"""The pantry side stays frozen while the oracle learns: same training data, same gate scenarios.

The data generator draws pantries and answers by the frozen pantry policy; prompts mark items
FORBIDDEN by the live diet policy. These tests pin the data and prove the two policies agree on
every item a synthesised pantry can hold, so no prompt of the training data or the gate scenarios
can change.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest

from plugin.diet import DIETS, gate_scenarios, ingredients, is_forbidden
from plugin.diet.chat import PHI3
from plugin.diet.lexicon import pantry_forbidden
from plugin.paths import TRAINING_DIR

# sha256 (first 16 hex) of the cpu profile's data in chat format, as made at commit 185f0a1
# (the data the reference adapter's recipe was trained on).
PINNED_DATA = {"train.jsonl": "a215534d609f1410", "valid.jsonl": "d08b2e71b00cd474"}
PINNED_GATE_SCENARIOS = "c488beaf3e00b9de"  # 96 gate scenarios (12 per diet choice)
# Policy decisions taken after the freeze that made an item a pantry may hold as allowed forbidden: the
# frozen pantry policy cannot follow them (the data would move), so they are proven absent from every
# pinned prompt of that diet instead (test_post_freeze_decisions_are_in_no_pinned_prompt).
# Round 6: carmine/cochineal (E120) is not vegetarian (the Vegetarian Society) and insects are not seafood.
POST_FREEZE_DECISIONS = {"pescatarian": frozenset({"carmine"})}


@pytest.mark.parametrize("diet", DIETS)
def test_pantry_forbidden_items_stay_forbidden(diet: str) -> None:
    names = [i.name for i in ingredients()]
    assert [n for n in names if pantry_forbidden(n, diet) and not is_forbidden(n, diet)] == []


@pytest.mark.parametrize("diet", DIETS)
def test_items_a_pantry_may_hold_keep_their_prompt_mark(diet: str) -> None:
    """Live-forbidden items are pantry-forbidden or pantry-disputed (never drawn as allowed)."""
    names = [i.name for i in ingredients()]
    moved = POST_FREEZE_DECISIONS.get(diet, frozenset())
    assert [n for n in names if is_forbidden(n, diet) and not pantry_forbidden(n, diet, strict=True)] == sorted(moved)


def test_post_freeze_decisions_are_in_no_pinned_prompt() -> None:
    """No pinned training example or gate scenario of that diet holds an item a later decision forbade."""
    from training.config import load_config
    from training.dataset import write_splits

    cfg = load_config(TRAINING_DIR / "lora_config_cpu.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        write_splits(Path(tmp), cfg.data_counts, cfg.seed, PHI3, "chat")
        lines = [line.lower() for f in PINNED_DATA for line in (Path(tmp) / f).read_text(encoding="utf-8").splitlines()]
    for diet, items in POST_FREEZE_DECISIONS.items():
        assert not [line for line in lines if diet in line and any(item in line for item in items)], diet
        assert not [s for s in gate_scenarios(96) if s.diet == diet and items & set(s.pantry)], diet


def test_training_data_are_byte_identical() -> None:
    from training.config import load_config
    from training.dataset import write_splits

    cfg = load_config(TRAINING_DIR / "lora_config_cpu.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        write_splits(Path(tmp), cfg.data_counts, cfg.seed, PHI3, "chat")
        digests = {f: hashlib.sha256((Path(tmp) / f).read_bytes()).hexdigest()[:16] for f in PINNED_DATA}
    assert digests == PINNED_DATA


def test_gate_scenarios_are_unchanged() -> None:
    scenarios = [[s.diet, list(s.pantry), s.request] for s in gate_scenarios(96)]
    assert hashlib.sha256(json.dumps(scenarios).encode()).hexdigest()[:16] == PINNED_GATE_SCENARIOS


def _share_of_answers_with_a_protein(rate: float) -> float:
    from plugin.diet import parse_recipe
    from plugin.diet.dishes import ROLES
    from plugin.diet.scenarios import unique_samples

    samples = unique_samples(140, seed=7, no_protein_rate=rate)
    proteins = set(ROLES["protein"])
    return sum(bool(proteins & set(parse_recipe(s.answer).ingredients)) for s in samples) / len(samples)


def test_no_protein_rate_sets_how_often_the_answer_does_without_a_protein() -> None:
    """The data-mix knob (`training.dataset --no-protein-rate`): the higher the rate, the fewer answers use a protein;
    at 1.0 only dishes whose base is one (an omelette's egg, a lentil soup) still do (measured: 1.00, 0.79, 0.17)."""
    shares = [_share_of_answers_with_a_protein(rate) for rate in (0.0, 0.3, 1.0)]
    assert shares[0] > shares[1] > shares[2]
    assert shares[2] < 0.25
