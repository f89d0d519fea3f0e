"""Per-run settings resolved once at configure time, and every ``StashKey`` the plugin uses.

All session state lives in ``config.stash`` under the keys defined here, so there is one
place to see what a session holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from plugin import options
from plugin.report.gates import GateLog
from plugin.report.scorecard import GatePolicy, Scorecard
from plugin.runtime import embedded
from plugin.runtime.adapter_folder import AdapterInfo
from plugin.runtime.backend import Backend
from plugin.runtime.gen_cache import GenCache
from training import run_profiles


@dataclass(frozen=True)
class RunSettings:
    run_profile: run_profiles.RunProfile
    run_profile_reason: str
    model: str
    model_cache: Path
    backend: Backend

    @property
    def is_embedded(self) -> bool:
        return self.model == embedded.MODEL_ID

    def header_lines(self) -> list[str]:
        b = self.backend
        return [
            f"recipe profile: {self.run_profile.name} ({self.run_profile_reason})",
            f"recipe model: {self.model}" + (f" (converted into {self.model_cache})" if self.is_embedded else ""),
            f"recipe backend: {b.name}",
            f"recipe blas: {b.blas.describe()}",
            f"recipe versions: mlx {b.mlx_version}, mlx-lm {b.mlx_lm_version}",
        ]


@dataclass
class Verdicts:
    """Verdicts this session reported without gating on them (xfail with the evidence)."""

    reported_not_gated: list[str] = field(default_factory=list)


SETTINGS = pytest.StashKey[RunSettings]()
ADAPTER = pytest.StashKey[AdapterInfo]()
SCORECARD = pytest.StashKey[Scorecard]()
GEN_CACHE = pytest.StashKey[GenCache]()
VERDICTS = pytest.StashKey[Verdicts]()
GATES = pytest.StashKey[GateLog]()  # measured gates seen by this process (the controller under xdist)
DEPRECATED_USED = pytest.StashKey[list[str]]()  # old option names on this command line


def _choose_run_profile(config: pytest.Config, backend: Backend) -> tuple[str, str]:
    if name := config.getoption(options.PROFILE):
        return name, f"from {options.PROFILE}"
    if name := options.run_profile_from_env():
        return name, f"from ${run_profiles.ENV_VAR}"
    return run_profiles.default_run_profile(backend.name)


def resolve(config: pytest.Config, backend: Backend) -> RunSettings:
    name, reason = _choose_run_profile(config, backend)
    profile = run_profiles.get(name)
    model = config.getoption(options.MODEL) or profile.model
    cache = embedded.cache_dir(config.getoption(options.MODEL_CACHE))
    return RunSettings(profile, reason, model, cache, backend)


def get(config: pytest.Config) -> RunSettings:
    return config.stash[SETTINGS]


def scorecard(config: pytest.Config) -> Scorecard:
    """The session's scorecard, made with the run profile's gate policy (workers and the controller alike)."""
    if SCORECARD not in config.stash:
        config.stash[SCORECARD] = Scorecard(policy=_gate_policy(get(config).run_profile.name))
    return config.stash[SCORECARD]


def _gate_policy(run_profile: str) -> GatePolicy | None:
    from plugin.quality_gates import gates_file, load_quality_gates

    if not gates_file(run_profile).is_file():  # a user's own run profile may have no quality gates
        return None
    return load_quality_gates(run_profile).scorecard_policy(run_profile)


def verdicts(config: pytest.Config) -> Verdicts:
    return config.stash.setdefault(VERDICTS, Verdicts())


def gates(config: pytest.Config) -> GateLog:
    return config.stash.setdefault(GATES, GateLog())
