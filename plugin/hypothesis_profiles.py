"""Hypothesis settings profiles for the property tests.

    dev       quick local feedback
    ci        moderate, reproducible failure reports (print_blob)
    thorough  >= 10,000 examples per property (nightly / before a release)

Select with ``HYPOTHESIS_PROFILE=<name>`` (or ``settings.load_profile``).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

PROFILES = ("dev", "ci", "thorough")


def register_profiles() -> None:
    """Register the profiles; safe to call more than once."""
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
