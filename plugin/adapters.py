"""Which adapter a session tests (pytest glue): ``--recipe-adapter-path``, the run profile's, or ``--train``.

The training itself is ``training.reuse.train_or_reuse``; this module turns its outcome,
and any bad adapter folder, into session state and one-line usage errors.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from plugin import options, settings
from plugin.diet.errors import SuiteError
from plugin.runtime import adapter_folder
from plugin.runtime.adapter_folder import (
    ADAPTERS,
    AdapterError,
    AdapterInfo,
    check_base_model,
    read_summary,
)
from plugin.settings import RunSettings


def given_adapter(path: Path | str | None, run: RunSettings) -> AdapterInfo:
    """The adapter to test without --train: --recipe-adapter-path (or 'none'), else the run profile's."""
    if path == options.NO_ADAPTER:
        return AdapterInfo(None, "none", reason="the bare base model, without an adapter")
    assert not isinstance(path, str)
    source = "given" if path else "run profile"
    path = path or run.run_profile.adapter_path
    if not (path / ADAPTERS).is_file():
        how = f"run `pytest {options.TRAIN}` (or `make train`), or pass {options.ADAPTER_PATH}"
        return AdapterInfo(None, "missing", reason=f"no adapter at {path}: {how}")
    adapter_folder.check_files(path)
    try:
        check_base_model(path, run.model, "this run's", require_config=True)
    except AdapterError as exc:
        raise AdapterError(
            f"{exc}; pass the matching {options.MODEL}/{options.PROFILE} or another {options.ADAPTER_PATH}"
        ) from None
    return AdapterInfo(path, source, read_summary(path))


def check_files(config: pytest.Config) -> None:
    """The adapter this session would test has whole files (weights that load, a config that parses)."""
    given = config.getoption(options.ADAPTER_PATH)
    if given == options.NO_ADAPTER:
        return
    path = given or settings.get(config).run_profile.adapter_path
    if not (path / ADAPTERS).is_file():
        return  # missing: the tests that need it skip with the how-to
    try:
        adapter_folder.check_files(path)
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None


def summary_lines(info: AdapterInfo) -> list[str]:
    """The terminal summary's training section."""
    if info.path is None:
        return [info.reason]
    r, targets = info.result, info.summary.get("config", {}).get("targets", {})
    lines = [f"adapter: {info.path} ({info.source})"]
    if not r:
        return lines + ["no training metrics recorded with this adapter"]

    def vs(value: float | None, target: float | None) -> str:
        if value is None:
            return "n/a"
        verdict = (
            "" if target is None else (" < " if value < target else " >= ") + f"{target} {'ok' if value < target else 'MISSED'}"
        )
        return f"{value:.3f}{verdict}"

    lines.append(f"final train loss {vs(r.get('final_train_loss'), targets.get('train_loss'))}")
    lines.append(f"final val loss   {vs(r.get('final_val_loss'), targets.get('val_loss'))}")
    lines.append(
        f"{r.get('iterations')} iters at {r.get('iterations_per_second') or 0:.2f} it/s, "
        f"{r.get('tokens_per_second') or 0:.0f} tokens/s, "
        f"peak memory {r.get('peak_memory_gb') or 0:.2f} GB, {r.get('wall_seconds') or 0:.0f} s"
    )
    if r.get("overfitting"):
        lines.append("WARNING: overfitting detected (validation loss rising while training loss falls)")
    return lines


def resolve(config: pytest.Config) -> AdapterInfo:
    """The session's adapter, computed once (training it under --train) and kept in the stash."""
    if settings.ADAPTER in config.stash:
        return config.stash[settings.ADAPTER]
    run = settings.get(config)
    try:
        if config.getoption(options.TRAIN):
            info = _train(config, run)
        else:
            info = given_adapter(config.getoption(options.ADAPTER_PATH), run)
    except SuiteError as exc:  # ConfigError, DataError, AdapterError, EmbeddedModelError, ...
        prefix = f"{options.TRAIN}: " if config.getoption(options.TRAIN) else ""
        raise pytest.UsageError(f"{prefix}{exc}") from None
    config.stash[settings.ADAPTER] = info
    return info


def _train(config: pytest.Config, run: RunSettings) -> AdapterInfo:
    from training.reuse import train_or_reuse

    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    say = (lambda line: reporter.write_line(f"[train] {line}")) if reporter else print
    config_path = config.getoption(options.TRAIN_CONFIG) or run.run_profile.config
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        return train_or_reuse(
            run.model,
            run.model_cache,
            config_path,
            config.getoption(options.RETRAIN),
            say,
            options.RETRAIN,
            ranks=config.getoption(options.TRAIN_RANKS),
        )
