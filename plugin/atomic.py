"""Every file the project writes goes through here: readers see the old content or the new,
never a torn one, and the file comes out mode 0644 whatever the temporary file's mode was."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

FILE_MODE = 0o644  # mkstemp files are private (0600); what we write is shared


def write_with(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` create a temporary file beside ``path`` (same suffix), then rename it into place.

    The temporary name is unique but not created in advance: writers such as MLX's
    ``save_safetensors`` create the file themselves, and an empty placeholder would be
    one more thing a kill -9 leaves behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.partial{path.suffix}")
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_with(path, write)


def append_text(path: Path, text: str) -> None:
    """Add ``text`` at the end of ``path`` (created if missing), keeping what is there.

    For files that others append to as well (a CI job summary), where replacing the file would
    drop their part: one O_APPEND descriptor, so each write lands at the end, never in between.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        data = memoryview(text.encode("utf-8"))
        while data:  # os.write may take less than all of it
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """One JSON object per line (UTF-8, not ASCII-escaped); returns the number of rows."""
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        with tmp.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1

    write_with(path, write)
    return count


def save_figure(fig: Any, path: Path, dpi: int = 100) -> None:
    """A matplotlib figure (the format follows ``path``'s suffix)."""
    write_with(path, lambda tmp: fig.savefig(tmp, dpi=dpi))
