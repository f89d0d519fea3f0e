"""Session fixtures that give tests the base model, converted or loaded once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from plugin import adapters, embedded, gen_cache, state


@pytest.fixture(scope="session")
def recipe_settings(pytestconfig: pytest.Config) -> state.RunSettings:
    return state.get(pytestconfig)


@pytest.fixture(scope="session")
def base_model_path(recipe_settings: state.RunSettings) -> str:
    """A local folder for the embedded model; otherwise the HF id or path as given."""
    if not recipe_settings.is_embedded:
        return recipe_settings.model
    try:
        converted = embedded.ensure_model(recipe_settings.model_cache, quantized=recipe_settings.backend.keeps_quantized)
    except embedded.EmbeddedModelError as exc:
        pytest.fail(str(exc), pytrace=False)
    return str(converted.path)


@pytest.fixture(scope="session")
def base_model(base_model_path: str) -> Any:
    """``(model, tokenizer)`` from ``mlx_lm.load``, offline; shared by the session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from mlx_lm import load

    if Path(base_model_path).exists():
        return load(base_model_path)
    try:
        return load(base_model_path)
    except Exception as exc:  # hub errors vary by huggingface_hub version
        pytest.skip(f"model {base_model_path} is not in the local HF cache (HF_HUB_OFFLINE=1): {type(exc).__name__}")


@pytest.fixture(scope="session")
def recipe_adapter(pytestconfig: pytest.Config) -> adapters.AdapterInfo:
    """The adapter under test; trains it first with --train. Skips when there is none."""
    info = adapters.resolve(pytestconfig)
    if info.source == "missing":
        pytest.skip(info.reason)
    return info


def _engine(config: pytest.Config, base_model_path: str, adapter: Path | None):  # type: ignore[no-untyped-def]
    from mlx_lm import load

    from plugin import options
    from plugin.generation import RecipeEngine

    model, tokenizer = load(base_model_path, adapter_path=str(adapter) if adapter else None)[:2]
    identity = gen_cache.identify(Path(base_model_path), adapter, tokenizer.chat_template or "").digest()
    choice = config.getoption(options.GEN_CACHE)
    root = None if choice == "off" else Path(config.rootpath, options.DEFAULT_GEN_CACHE if choice == "on" else choice)
    cache = config.stash.setdefault(GEN_CACHE, gen_cache.GenCache(root))
    batch = config.getoption(options.GEN_BATCH_SIZE) or _profile_batch_size(config)
    return RecipeEngine(model, tokenizer, identity, cache, batch)


GEN_CACHE = pytest.StashKey["gen_cache.GenCache"]()


def _profile_batch_size(config: pytest.Config) -> int:
    from plugin import quality

    try:
        return quality.load_quality(state.get(config).profile.name).batch_size
    except FileNotFoundError:
        return 16


@pytest.fixture(scope="session")
def recipe_engine(pytestconfig: pytest.Config, base_model_path: str, recipe_adapter: adapters.AdapterInfo):
    """Cached batched generation with the adapter under test (or the bare base model)."""
    return _engine(pytestconfig, base_model_path, recipe_adapter.path)


@pytest.fixture(scope="session")
def compare_engine(pytestconfig: pytest.Config, base_model_path: str):
    """The --compare-adapter engine, or None."""
    from plugin import options

    other = pytestconfig.getoption(options.COMPARE_ADAPTER)
    if other is None:
        return None
    return _engine(pytestconfig, base_model_path, None if other == options.NO_ADAPTER else other)
