"""The one repository root and the well-known paths under it; every other module asks here.

Relative paths in configs and options (``data: data/finetune-cpu``) are taken from the
repository root, not from the current directory, so a run means the same from anywhere.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TRAINING_DIR = ROOT / "training"
MODELS_DIR = ROOT / "models"  # converted embedded models and locally trained adapters
ADAPTERS_DIR = ROOT / "adapters"  # shipped reference adapters
QUALITY_GATES_DIR = ROOT / "tests_model" / "quality_gates"  # <run profile>.yaml
HARDWARE_FLOORS_FILE = ROOT / "tests_perf" / "hardware_floors.yaml"

# Relative to pytest's rootdir (the options' defaults).
GEN_CACHE_DIR = ".recipe-cache/generations"
REPORTS_DIR = "reports"
BENCHMARKS_DIR = ".benchmarks"  # pytest-benchmark's storage

# Inside the virtualenv: scripts/setup.sh made this venv (the script spells the name too).
SETUP_STAMP = ".setup-done"


def from_root(path: str | Path) -> Path:
    """``path`` itself when absolute, else the same path under the repository root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path
