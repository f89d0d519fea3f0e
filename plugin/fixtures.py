"""Session fixtures that give tests the base model, the adapter under test and cached engines."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from plugin import adapters, options, settings
from plugin.gate_properties import GateRecorder
from plugin.runtime import embedded, gen_cache
from plugin.runtime.adapter_folder import AdapterInfo

if TYPE_CHECKING:
    from plugin.runtime.generation import RecipeEngine


@pytest.fixture(scope="session")
def recipe_settings(pytestconfig: pytest.Config) -> settings.RunSettings:
    return settings.get(pytestconfig)


@pytest.fixture(scope="session")
def base_model_path(recipe_settings: settings.RunSettings) -> str:
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
def recipe_adapter(pytestconfig: pytest.Config) -> AdapterInfo:
    """The adapter under test; trains it first with --train. Skips when there is none."""
    info = adapters.resolve(pytestconfig)
    if info.source == "missing":
        pytest.skip(info.reason)
    return info


def make_engine(config: pytest.Config, base_model_path: str, adapter: Path | None) -> RecipeEngine:
    """A cached, batched engine for the base model plus ``adapter`` (None: the bare base model)."""
    from plugin.runtime.generation import RecipeEngine

    cache = config.stash.setdefault(settings.GEN_CACHE, gen_cache.GenCache(_gen_cache_root(config)))
    batch = config.getoption(options.GEN_BATCH_SIZE) or _gates_batch_size(config)
    return RecipeEngine.load(base_model_path, adapter, cache, batch)


def _gen_cache_root(config: pytest.Config) -> Path | None:
    choice = config.getoption(options.GEN_CACHE)
    if choice == "off":
        return None
    from plugin.paths import GEN_CACHE_DIR

    return Path(config.rootpath, GEN_CACHE_DIR if choice == "on" else choice)


def check_gen_cache(config: pytest.Config) -> None:
    """A generation cache that cannot be written is a usage error now, not a failure after generating."""
    import tempfile

    root = _gen_cache_root(config)
    if root is None:
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        raise pytest.UsageError(f"{options.GEN_CACHE} {root}: not a writable folder ({exc.strerror or exc})") from None


def _gates_batch_size(config: pytest.Config) -> int:
    from plugin.quality_gates import gates_file, load_quality_gates
    from plugin.runtime.generation import DEFAULT_BATCH_SIZE

    run_profile = settings.get(config).run_profile.name
    if not gates_file(run_profile).is_file():  # a run profile without quality gates (a user's own)
        return DEFAULT_BATCH_SIZE
    return load_quality_gates(run_profile).batch_size


@pytest.fixture(scope="session")
def recipe_engine(pytestconfig: pytest.Config, base_model_path: str, recipe_adapter: AdapterInfo) -> RecipeEngine:
    """Cached batched generation with the adapter under test (or the bare base model)."""
    return make_engine(pytestconfig, base_model_path, recipe_adapter.path)


@pytest.fixture(scope="session")
def compare_engine(pytestconfig: pytest.Config, base_model_path: str) -> RecipeEngine | None:
    """The --recipe-compare-adapter engine, or None."""
    other = pytestconfig.getoption(options.COMPARE_ADAPTER)
    if other is None:
        return None
    return make_engine(pytestconfig, base_model_path, None if other == options.NO_ADAPTER else other)


@pytest.fixture(scope="session")
def baseline_engine(pytestconfig: pytest.Config, base_model_path: str) -> RecipeEngine | None:
    """The --recipe-baseline-adapter engine, or None."""
    other = pytestconfig.getoption(options.BASELINE_ADAPTER)
    if other is None:
        return None
    return make_engine(pytestconfig, base_model_path, None if other == options.NO_ADAPTER else other)


@pytest.fixture
def recipe_gate(request: pytest.FixtureRequest, recipe_settings: settings.RunSettings) -> GateRecorder:
    """Records this test's gate figures as JUnit properties (``--junitxml``), then hands back the verdict."""
    return GateRecorder(request.node, recipe_settings.run_profile.name)
