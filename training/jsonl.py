"""Reading the JSONL splits; every error names file:line. (Writing is ``plugin.atomic.write_jsonl``.)"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.diet.errors import SuiteError

SPLITS = ("train", "valid")


class DataError(SuiteError, ValueError):
    """Bad training data; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Record:
    path: Path
    line: int
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def read_jsonl(path: Path, keys: tuple[str, ...] = ()) -> list[Record]:
    """Every line must be a JSON object holding one of ``keys`` (if given)."""
    if not path.is_file():
        raise DataError(f"{path}: file not found; generate it with `python -m training.dataset`")
    records = []
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(f"{path}:{number}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})") from None
            if not line.strip():
                raise DataError(f"{path}:{number}: blank line")
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{number}: malformed JSON ({exc.msg}, column {exc.colno})") from None
            if not isinstance(data, dict):
                raise DataError(f"{path}:{number}: expected a JSON object, got {type(data).__name__}")
            if keys and not any(k in data for k in keys):
                raise DataError(f"{path}:{number}: missing key {' or '.join(map(repr, keys))}; has {sorted(data)}")
            records.append(Record(path, number, data))
    if not records:
        raise DataError(f"{path}: empty split")
    return records


def read_splits(data_dir: Path, keys: tuple[str, ...] = ("text", "messages")) -> dict[str, list[Record]]:
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: data folder not found; generate it with `python -m training.dataset`")
    return {split: read_jsonl(data_dir / f"{split}.jsonl", keys) for split in SPLITS}
