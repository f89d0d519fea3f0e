"""pytest hooks for the recipe model suite; state and logic live in sibling modules."""

from __future__ import annotations

import pytest

from plugin.blas import ensure_fast_blas

# Must precede any ``import mlx.core`` in this process (conftests, test modules).
ensure_fast_blas()

pytest_plugins = ["plugin.fixtures"]


def _hypothesis_profiles() -> None:
    """Register dev/ci/thorough before Hypothesis applies --hypothesis-profile (which wins);
    $HYPOTHESIS_PROFILE picks one otherwise, and the default is ci."""
    import os

    from hypothesis import settings

    from plugin.hypothesis_profiles import register_profiles

    register_profiles()
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()

MARKERS = {
    "model": "needs the real base model (converted or from the HF cache)",
    "slow": "takes more than a few seconds",
    "metal": "needs an Apple Silicon GPU (Metal)",
    "perf": "a pytest-benchmark performance gate",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    from plugin import options

    options.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    from plugin import state
    from plugin.backend import detect

    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    try:
        config.stash[state.SETTINGS] = state.resolve(config, detect())
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(trylast=True)  # after the terminal reporter has printed the header
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if config.getoption("--train") and not config.option.collectonly and not hasattr(config, "workerinput"):
        from plugin import adapters

        adapters.resolve(config)  # train before any test; xdist workers then reuse the result


def pytest_report_header(config: pytest.Config) -> list[str]:
    from plugin import state

    return state.get(config).header_lines()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("metal"):
        from plugin import state

        if state.get(item.config).backend.name != "metal":
            pytest.skip("needs Metal (Apple Silicon GPU)")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    from plugin import adapters, fixtures, scorecard

    if hasattr(config, "workerinput"):
        return
    if adapters.ADAPTER in config.stash:
        terminalreporter.write_sep("-", "recipe training")
        for line in adapters.summary_lines(config.stash[adapters.ADAPTER]):
            terminalreporter.write_line(line)
    if scorecard.SCORECARD in config.stash:
        card = config.stash[scorecard.SCORECARD]
        terminalreporter.write_sep("-", "recipe scorecard")
        for line in card.terminal_lines():
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"report: {card.write(_report_dir(config))}")
    if fixtures.GEN_CACHE in config.stash:
        stats = config.stash[fixtures.GEN_CACHE].stats
        terminalreporter.write_line(f"generation cache: {stats.hits} hits, {stats.misses} misses")


def _report_dir(config: pytest.Config):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from plugin import options

    return Path(config.rootpath, config.getoption(options.REPORT_DIR))
