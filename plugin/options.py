"""Command-line options: names (reused by tests) and ``type=`` parsers that fail clearly."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from plugin import profiles
from plugin.embedded import MODEL_ID as EMBEDDED_MODEL_ID

GROUP = "recipe-suite"
PROFILE = "--profile"
MODEL = "--model"
MODEL_CACHE = "--model-cache"
PROFILE_ENV = "RECIPE_PROFILE"


def parse_profile(value: str) -> str:
    try:
        return profiles.get(value).name
    except ValueError as exc:
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


def add_options(parser) -> None:  # type: ignore[no-untyped-def]
    group = parser.getgroup(GROUP, "recipe model quality suite")
    group.addoption(
        PROFILE,
        type=parse_profile,
        default=None,
        help=f"run profile: {', '.join(sorted(profiles.PROFILES))} "
        f"(default: ${PROFILE_ENV}, else v3 with Metal and cpu elsewhere)",
    )
    group.addoption(MODEL, type=parse_model, default=None, help="base model: HF id or local MLX folder (default: the profile's)")
    group.addoption(
        MODEL_CACHE,
        type=parse_dir,
        default=None,
        help="folder for the converted embedded model (default: $RECIPE_MODEL_CACHE or models/)",
    )


def profile_from_env() -> str | None:
    value = os.environ.get(PROFILE_ENV)
    if not value:
        return None
    try:
        return profiles.get(value).name
    except ValueError as exc:
        raise ValueError(f"${PROFILE_ENV}: {exc}") from None
