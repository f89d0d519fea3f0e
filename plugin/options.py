"""Command-line options: names (reused by tests) and ``type=`` parsers that fail clearly."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from plugin.diet.errors import InputError
from plugin.paths import GEN_CACHE_DIR, REPORTS_DIR
from plugin.runtime.adapter_folder import ADAPTERS, AdapterError, check_files
from plugin.runtime.embedded import MODEL_ID as EMBEDDED_MODEL_ID
from training import run_profiles

if TYPE_CHECKING:
    import pytest

GROUP = "recipe-suite"
PREFIX = "--recipe-"  # every option carries it (pytest-benchmark's convention), so no other plugin's name can clash
PROFILE = "--recipe-profile"
MODEL = "--recipe-model"
MODEL_CACHE = "--recipe-model-cache"
TRAIN = "--train"  # the product's documented interface; PREFIX + "train" is accepted too
TRAIN_PREFIXED = "--recipe-train"
RETRAIN = "--recipe-retrain"
ADAPTER_PATH = "--recipe-adapter-path"
TRAIN_CONFIG = "--recipe-train-config"
TRAIN_RANKS = "--recipe-train-ranks"  # --train on N local ranks through mlx.launch (data-parallel)
MAX_LOCAL_RANKS = 64
GEN_CACHE = "--recipe-gen-cache"
GEN_BATCH_SIZE = "--recipe-gen-batch-size"
COMPARE_ADAPTER = "--recipe-compare-adapter"  # report only: shown beside the adapter under test
BASELINE_ADAPTER = "--recipe-baseline-adapter"  # gated: the adapter under test must not be significantly worse
REPORT_DIR = "--recipe-report-dir"
NO_ADAPTER = "none"
PERF_PROFILE = "--recipe-perf-profile"  # picks the hardware floors of the perf gates

# The names before the prefix, accepted for one release with a deprecation warning, and only
# where no other plugin owns the name (pytest-profiling's --profile wins).
DEPRECATED_NAMES = {
    "--profile": PROFILE,
    "--model": MODEL,
    "--model-cache": MODEL_CACHE,
    "--retrain": RETRAIN,
    "--adapter-path": ADAPTER_PATH,
    "--train-config": TRAIN_CONFIG,
    "--gen-cache": GEN_CACHE,
    "--gen-batch-size": GEN_BATCH_SIZE,
    "--compare-adapter": COMPARE_ADAPTER,
    "--perf-profile": PERF_PROFILE,
}


def registered_names(parser: pytest.Parser) -> set[str]:
    """Every option name some plugin has registered so far."""
    groups = [getattr(parser, "_anonymous", None), *getattr(parser, "_groups", [])]
    return {name for group in groups if group is not None for opt in group.options for name in opt.names()}


def rename_deprecated(args: list[str], taken: set[str]) -> list[str]:
    """Rewrite old option names in ``args`` (in place) to the prefixed ones; returns the old names used.

    A name another plugin registered is left alone: it is that plugin's option now.
    """
    used = []
    for i, arg in enumerate(args):
        if arg == "--":
            break
        name, sep, value = arg.partition("=")
        new = DEPRECATED_NAMES.get(name)
        if new is not None and name not in taken:
            args[i] = new + sep + value
            used.append(name)
    return used


def deprecation_message(old: str) -> str:
    return f"{old} is deprecated and goes in the next release; use {DEPRECATED_NAMES[old]}"


def parse_run_profile(value: str) -> str:
    try:
        return run_profiles.get(value).name
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _looks_like_path(value: str) -> bool:
    return value.startswith((".", "/", "~")) or value.count("/") != 1


def parse_model(value: str) -> str:
    """An HF id (``org/name``), a local MLX model folder, or the embedded model."""
    if value == EMBEDDED_MODEL_ID:
        return value
    path = Path(value).expanduser()
    if path.exists():
        if not path.is_dir():
            raise argparse.ArgumentTypeError(f"model path {value} is a file; point it at an MLX model folder")
        if not (path / "config.json").is_file():
            raise argparse.ArgumentTypeError(
                f"model folder {value} has no config.json; expected an MLX model folder (config.json, *.safetensors, tokenizer)"
            )
        return str(path.resolve())
    if _looks_like_path(value):
        raise argparse.ArgumentTypeError(f"model path {value} does not exist; give an existing folder or an HF id like org/name")
    return value


def parse_dir(value: str) -> str:
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} exists and is not a folder")
    return str(path)


def parse_adapter_path(value: str) -> Path | str:
    if value == NO_ADAPTER:
        return NO_ADAPTER
    path = Path(value).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"adapter folder {value} does not exist")
    if not (path / ADAPTERS).is_file():
        raise argparse.ArgumentTypeError(f"adapter folder {value} has no {ADAPTERS}")
    try:
        check_files(path)
    except AdapterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return path.resolve()


def parse_config_file(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"training config {value} does not exist")
    return path.resolve()


def parse_gen_cache(value: str) -> str:
    if value in ("on", "off"):
        return value
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a file; give on, off or a folder")
    return str(path)


def parse_batch_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"batch size must be an integer, got {value!r}") from None
    if not 1 <= size <= 256:
        raise argparse.ArgumentTypeError(f"batch size must be between 1 and 256, got {size}")
    return size


def parse_ranks(value: str) -> int:
    try:
        ranks = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ranks must be an integer, got {value!r}") from None
    if not 1 <= ranks <= MAX_LOCAL_RANKS:
        raise argparse.ArgumentTypeError(f"ranks must be between 1 and {MAX_LOCAL_RANKS}, got {ranks}")
    return ranks


def parse_hardware_floors(value: str) -> str:
    from plugin.hardware_floors import load_hardware_floors

    known = load_hardware_floors()
    if value not in known:
        raise argparse.ArgumentTypeError(f"unknown hardware floors {value!r}; choose from {', '.join(sorted(known))}")
    return value


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "recipe model quality suite")
    group.addoption(
        PROFILE,
        type=parse_run_profile,
        default=None,
        help=f"run profile (base model, training config, adapter): {', '.join(sorted(run_profiles.RUN_PROFILES))} "
        f"(default: ${run_profiles.ENV_VAR}, else v3 with Metal and cpu elsewhere)",
    )
    group.addoption(
        MODEL, type=parse_model, default=None, help="base model: HF id or local MLX folder (default: the run profile's)"
    )
    group.addoption(
        MODEL_CACHE,
        type=parse_dir,
        default=None,
        help="folder for the converted embedded model (default: $RECIPE_MODEL_CACHE or models/)",
    )
    group.addoption(
        TRAIN,
        TRAIN_PREFIXED,
        action="store_true",
        dest="recipe_train",
        help="train the run profile's LoRA adapter before the model tests (reused if unchanged)",
    )
    group.addoption(RETRAIN, action="store_true", help="with --train: train even if a matching adapter exists")
    group.addoption(
        ADAPTER_PATH,
        type=parse_adapter_path,
        default=None,
        help="adapter folder to test, or 'none' for the bare base model (default: the run profile's adapter)",
    )
    group.addoption(
        GEN_CACHE, type=parse_gen_cache, default="on", help=f"generation cache: on ({GEN_CACHE_DIR}), off, or a folder"
    )
    group.addoption(
        GEN_BATCH_SIZE,
        type=parse_batch_size,
        default=None,
        help="prompts per batch_generate call (default: the run profile's quality gates file)",
    )
    group.addoption(
        COMPARE_ADAPTER,
        type=parse_adapter_path,
        default=None,
        help="second adapter to score on the same scenarios (e.g. V2 vs V3)",
    )
    group.addoption(
        BASELINE_ADAPTER,
        type=parse_adapter_path,
        default=None,
        help="baseline adapter (V2, the shipped reference, the last release; 'none': the bare base model): the adapter "
        "under test fails a diet where it is significantly worse on the same scenarios (paired exact test, Holm)",
    )
    group.addoption(
        PERF_PROFILE,
        type=parse_hardware_floors,
        default=None,
        help="which hardware floors the perf gates use (tests_perf/hardware_floors.yaml; default: detected)",
    )
    group.addoption(
        REPORT_DIR, type=parse_dir, default=REPORTS_DIR, help=f"where the scorecard Markdown and PNG go (default: {REPORTS_DIR}/)"
    )
    group.addoption(
        TRAIN_CONFIG, type=parse_config_file, default=None, help="LoRA YAML for --train (default: the run profile's config)"
    )
    group.addoption(
        TRAIN_RANKS,
        type=parse_ranks,
        default=1,
        help="with --train: train data-parallel on this many local ranks through mlx.launch (ring backend); the "
        "config's batch_size is the global batch and must divide by it (default: 1, in this process)",
    )


def run_profile_from_env() -> str | None:
    value = os.environ.get(run_profiles.ENV_VAR)
    if not value:
        return None
    try:
        return run_profiles.get(value).name
    except InputError as exc:
        raise InputError(f"${run_profiles.ENV_VAR}: {exc}") from None
