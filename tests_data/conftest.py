"""Fixtures for the data suite: the profile's training data, generated if missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plugin.diet.chat import ChatTemplate
from plugin.settings import RunSettings
from training import dataset
from training.config import TrainConfig, load_config
from training.jsonl import Record, read_splits


@pytest.fixture(scope="session")
def data_config(recipe_settings: RunSettings) -> TrainConfig:
    return load_config(recipe_settings.run_profile.config, {"model": recipe_settings.model})


@pytest.fixture(scope="session")
def data_template(data_config: TrainConfig) -> ChatTemplate:
    return dataset.template_for(data_config.model)


@pytest.fixture(scope="session")
def data_splits(data_config: TrainConfig, data_template: ChatTemplate) -> dict[str, list[Record]]:
    dataset.ensure_data(data_config, data_template, say=lambda line: None)
    return read_splits(data_config.data_dir)


@pytest.fixture(scope="session")
def data_tokenizer(data_config: TrainConfig, base_model_path: str) -> Any:
    from mlx_lm.utils import load_tokenizer

    path = Path(base_model_path)
    if not path.is_dir():
        pytest.skip(f"{data_config.model} is not available locally, so its tokenizer cannot count tokens")
    return load_tokenizer(path)
