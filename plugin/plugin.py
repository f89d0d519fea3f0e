"""pytest hooks for the recipe model suite: thin, over the session state in ``plugin.settings``."""

from __future__ import annotations

from typing import Any

import pytest

from plugin.runtime.blas import ensure_fast_blas

# Must precede any ``import mlx.core`` in this process (conftests, test modules).
ensure_fast_blas()

pytest_plugins = ["plugin.fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    from plugin import options

    options.add_options(parser)


def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Old option names still work for one release (every plugin's options are registered by now)."""
    from plugin import options, settings

    early_config.stash[settings.DEPRECATED_USED] = options.rename_deprecated(args, options.registered_names(parser))


@pytest.hookimpl(tryfirst=True)  # before Hypothesis's plugin applies --hypothesis-profile, which wins
def pytest_configure(config: pytest.Config) -> None:
    from plugin import settings
    from plugin.diet.errors import SuiteError
    from plugin.hypothesis_profiles import load_default_profile
    from plugin.markers import MARKERS
    from plugin.runtime.backend import detect

    load_default_profile()
    _warn_deprecated_names(config)
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    try:
        config.stash[settings.SETTINGS] = settings.resolve(config, detect())
    except SuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    if not config.option.help:
        from plugin.fixtures import check_gen_cache

        check_gen_cache(config)
    if not _is_xdist_worker(config):
        from plugin.summary import SummaryReporter

        config.pluginmanager.register(SummaryReporter(config), SummaryReporter.name)


@pytest.hookimpl(trylast=True)  # after the terminal reporter has printed the header
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if not config.option.collectonly and not _is_xdist_worker(config):
        from plugin import adapters, options

        if config.getoption(options.TRAIN):
            adapters.resolve(config)  # train before any test; xdist workers then reuse the result
        else:
            adapters.check_files(config)  # a damaged adapter is a usage error (exit 4), not a failure later


def pytest_report_header(config: pytest.Config) -> list[str]:
    from plugin import settings

    return settings.get(config).header_lines()


def pytest_runtest_setup(item: pytest.Item) -> None:
    from plugin.markers import METAL

    if item.get_closest_marker(METAL):
        from plugin import settings

        if settings.get(item.config).backend.name != "metal":
            pytest.skip("needs Metal (Apple Silicon GPU)")


def pytest_sessionfinish(session: pytest.Session) -> None:
    from plugin import workers

    if workers.is_worker(session.config):
        workers.hand_over(session.config)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: on the controller, as each worker finishes
def pytest_testnodedown(node: Any, error: object) -> None:
    from plugin import workers

    workers.take_over(node.config, getattr(node, "workeroutput", {}))


def _warn_deprecated_names(config: pytest.Config) -> None:
    from plugin import options, settings

    for old in config.stash.get(settings.DEPRECATED_USED, []):
        config.issue_config_time_warning(pytest.PytestDeprecationWarning(options.deprecation_message(old)), stacklevel=2)


def _is_xdist_worker(config: pytest.Config) -> bool:
    from plugin import workers

    return workers.is_worker(config)
