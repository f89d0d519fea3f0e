"""Hypothesis settings profiles for the property tests.

    dev       quick local feedback
    ci        moderate, reproducible failure reports (print_blob)
    thorough  >= 10,000 examples per property (nightly / before a release)

The plugin registers and loads them in ``pytest_configure`` (before Hypothesis's own plugin
applies ``--hypothesis-profile``, which wins); ``$HYPOTHESIS_PROFILE`` picks one otherwise.
"""

from __future__ import annotations

import os

ENV_VAR = "HYPOTHESIS_PROFILE"
DEFAULT = "ci"


def register_profiles() -> None:
    """Register the profiles; safe to call more than once."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("dev", max_examples=25, deadline=None)
    settings.register_profile(
        "ci",
        max_examples=200,
        derandomize=False,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "thorough",
        max_examples=10_000,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


def load_default_profile() -> None:
    from hypothesis import settings

    register_profiles()
    settings.load_profile(os.environ.get(ENV_VAR, DEFAULT))
