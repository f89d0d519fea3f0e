"""Random bytes, random JSON shapes and random YAML at every loader: one clear error, never a traceback.

Every loader must either return normally or raise one of the project's own errors (``SuiteError``),
and must not write anything next to what it reads.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugin.diet.errors import SuiteError

SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12
)
CONFIG_KEYS = [
    "model",
    "iters",
    "batch_size",
    "learning_rate",
    "lora_parameters",
    "data_counts",
    "targets",
    "val_batches",
    "num_layers",
    "seed",
]
GATE_KEYS = [
    "scenarios_per_diet",
    "paired_scenarios_per_diet",
    "min_pass_lower_bound",
    "min_overall_lower_bound",
    "strict_property",
    "property_examples",
    "max_tokens",
    "batch_size",
]


def _yaml_documents(keys: list[str]) -> st.SearchStrategy[bytes]:
    mapping = st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), JSON_VALUES, max_size=6)
    return (mapping | JSON_VALUES).map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode())


def _payloads(keys: list[str]) -> st.SearchStrategy[bytes]:
    json_docs = JSON_VALUES.map(lambda v: json.dumps(v).encode())
    return st.binary(max_size=200) | json_docs | _yaml_documents(keys)


def _only_our_errors(loader: Callable[[Path], Any], folder: Path, name: str, payload: bytes) -> None:
    path = folder / name
    path.write_bytes(payload)
    before = sorted(p.name for p in folder.iterdir())
    with contextlib.suppress(SuiteError):  # one of our errors is the right answer to a bad file
        loader(path)
    assert sorted(p.name for p in folder.iterdir()) == before, "a loader wrote something"


RANDOM = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@RANDOM
@given(payload=_payloads(["text", "messages"]))
def test_training_data(tmp_path: Path, payload: bytes) -> None:
    from training.jsonl import read_jsonl

    _only_our_errors(lambda p: read_jsonl(p, ("text", "messages")), tmp_path, "train.jsonl", payload)


@RANDOM
@given(payload=_payloads(CONFIG_KEYS))
def test_training_config(tmp_path: Path, payload: bytes) -> None:
    from training.config import load_config

    _only_our_errors(load_config, tmp_path, "lora.yaml", payload)


@RANDOM
@given(payload=_payloads(GATE_KEYS))
def test_quality_gates(tmp_path: Path, payload: bytes) -> None:
    from plugin.quality_gates import load_quality_gates

    _only_our_errors(lambda p: load_quality_gates("random", p.parent), tmp_path, "random.yaml", payload)


@RANDOM
@given(payload=_payloads(["train_it_per_s", "gen_tokens_per_s"]))
def test_hardware_floors(tmp_path: Path, payload: bytes) -> None:
    from plugin.hardware_floors import load_hardware_floors

    _only_our_errors(load_hardware_floors, tmp_path, "floors.yaml", payload)


@RANDOM
@given(
    payload=_payloads(["model", "lora_parameters"]),
    which=st.sampled_from(["adapters.safetensors", "adapter_config.json", "training_config_v3.json"]),
)
def test_adapter_folder(tmp_path: Path, payload: bytes, which: str) -> None:
    from plugin.runtime.adapter_folder import check_weights_file, read_summary, trained_on

    loaders = {
        "adapters.safetensors": check_weights_file,
        "adapter_config.json": lambda p: trained_on(p.parent),
        "training_config_v3.json": lambda p: read_summary(p.parent),
    }
    _only_our_errors(loaders[which], tmp_path, which, payload)


@RANDOM
@given(payload=_payloads(["output", "prompt"]))
def test_generation_cache_entry(tmp_path: Path, payload: bytes) -> None:
    from plugin.runtime.gen_cache import GenCache

    cache = GenCache(tmp_path)
    key = cache.key("model", "prompt", {})
    folder = tmp_path / key[:2]
    folder.mkdir(exist_ok=True)
    (folder / f"{key}.json").write_bytes(payload)
    result = cache.get(key)
    assert result is None or isinstance(result, str)


@RANDOM
@given(payload=_payloads(["ingredients", "categories", "tags", "diets", "qualifiers"]))
def test_lexicon_and_diets(tmp_path: Path, payload: bytes) -> None:
    from plugin.diet.lexicon import DIETS_PATH, LEXICON_PATH, load

    _only_our_errors(lambda p: load(p, DIETS_PATH), tmp_path, "lexicon.toml", payload)
    _only_our_errors(lambda p: load(LEXICON_PATH, p), tmp_path, "diets.toml", payload)


def test_finetune_cli_on_a_config_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from training.finetune_mlx_v3 import main

    bad = tmp_path / "x.yaml"
    bad.write_bytes(b"iters: 10\nmodel: caf\xe9\n")
    assert main(["--config", str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {bad}:2: not UTF-8 (byte 0xe9 at column 11)"
