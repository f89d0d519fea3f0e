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


def portable(value: str | Path) -> str:
    """How a path is written into what others read (adapter configs, summaries, reports): never absolute.

    A path inside the repository becomes relative to its root (``models/smollm2-135m-instruct-q4``),
    which ``from_root`` reads back; an absolute path elsewhere keeps only its last part, because the
    rest is this machine's layout. Anything else (a hub id, ``embedded:...``, a relative path) is kept.
    """
    text = str(value)
    path = Path(text).expanduser()
    if not path.is_absolute():
        return text
    for candidate in (path, path.resolve()):
        if candidate.is_relative_to(ROOT):
            return candidate.relative_to(ROOT).as_posix()
    return path.name
