"""The suite's markers, registered by the plugin (the one list; ``--strict-markers`` holds us to it)."""

from __future__ import annotations

METAL = "metal"  # the plugin skips these off Metal

MARKERS = {
    "model": "needs the real base model (converted or from the HF cache)",
    "slow": "takes more than a few seconds",
    METAL: "needs an Apple Silicon GPU (Metal)",
    "perf": "a pytest-benchmark performance gate",
}
