"""Finds absolute machine paths in what the project writes and ships (adapters, snapshots, benchmark reports).

Read as text: JSON, JSONL, Markdown and snapshots whole, a safetensors file's header metadata, not its
weights; other binary files (the loss-curve PNG) are skipped.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from pathlib import Path

# Tracked files the project writes: the reference adapter, golden snapshots, the oracle benchmarks' reports.
ARTEFACTS = ("adapters/*", "*/__snapshots__/*", "*_BENCHMARK.md", "*/baseline_predictions.json")
ABSOLUTE = re.compile(
    r"(?<![\w.:/~\\-])/[\w.+@~-]+/[\w.+@~/-]*"  # /home/alice/models/x, not models/x, 1/2 or https://a/b
    r"|(?<!\w)[A-Za-z]:(?:[\\/]{1,2}[\w.-]+)+"  # C:\Users\bob, also JSON-escaped (C:\\Users)
    r"|(?<![\w/])~/[\w.+@~/-]+"  # ~/models/x
)


def tracked(root: Path) -> list[str]:
    """The repository's tracked files (what a clone ships), as POSIX paths relative to ``root``."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    return [name for name in out.stdout.decode().split("\0") if name]


def artefacts(files: list[str]) -> list[str]:
    return [name for name in files if any(fnmatch.fnmatch(name, pattern) for pattern in ARTEFACTS)]


def readable_text(path: Path) -> str | None:
    """What a reader of ``path`` sees as text, or None for a binary file with no text in it."""
    data = path.read_bytes()
    if path.suffix == ".safetensors":
        size = int.from_bytes(data[:8], "little")
        return json.dumps(json.loads(data[8 : 8 + size]).get("__metadata__", {}))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def absolute_paths(root: Path, files: list[str]) -> list[str]:
    """``file: path`` for every absolute path in ``files`` (relative to ``root``)."""
    found = []
    for name in files:
        found += [f"{name}: {match}" for match in ABSOLUTE.findall(readable_text(root / name) or "")]
    return found
