"""Per-run settings resolved once at configure time and kept in ``config.stash``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from plugin import embedded, options, profiles
from plugin.backend import Backend


@dataclass(frozen=True)
class RunSettings:
    profile: profiles.Profile
    profile_reason: str
    model: str
    model_cache: Path
    backend: Backend

    @property
    def is_embedded(self) -> bool:
        return self.model == embedded.MODEL_ID

    def header_lines(self) -> list[str]:
        b = self.backend
        return [
            f"recipe profile: {self.profile.name} ({self.profile_reason})",
            f"recipe model: {self.model}" + (f" (converted into {self.model_cache})" if self.is_embedded else ""),
            f"recipe backend: {b.name}",
            f"recipe blas: {b.blas.describe()}",
            f"recipe versions: mlx {b.mlx_version}, mlx-lm {b.mlx_lm_version}",
        ]


SETTINGS = pytest.StashKey[RunSettings]()


def _choose_profile(config: pytest.Config, backend: Backend) -> tuple[str, str]:
    if name := config.getoption(options.PROFILE):
        return name, f"from {options.PROFILE}"
    if name := options.profile_from_env():
        return name, f"from ${options.PROFILE_ENV}"
    return profiles.default_profile(backend.name)


def resolve(config: pytest.Config, backend: Backend) -> RunSettings:
    name, reason = _choose_profile(config, backend)
    profile = profiles.get(name)
    model = config.getoption(options.MODEL) or profile.model
    cache = embedded.cache_dir(config.getoption(options.MODEL_CACHE))
    return RunSettings(profile, reason, model, cache, backend)


def get(config: pytest.Config) -> RunSettings:
    return config.stash[SETTINGS]
