"""The one atomic writer: whole files or none, mode 0644, no temporary file left behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from plugin import atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_text_and_jsonl_come_out_0644(tmp_path: Path) -> None:
    atomic.write_text(tmp_path / "a" / "note.md", "hi\n")
    assert atomic.write_jsonl(tmp_path / "rows.jsonl", [{"text": "é"}, {"text": "b"}]) == 2
    assert (tmp_path / "rows.jsonl").read_text(encoding="utf-8") == '{"text": "é"}\n{"text": "b"}\n'
    assert mode(tmp_path / "a" / "note.md") == mode(tmp_path / "rows.jsonl") == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "rows.jsonl"
    target.write_text("old\n")

    def rows():
        yield {"a": 1}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic.write_jsonl(target, rows())
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


def test_training_splits_are_written_0644(tmp_path: Path) -> None:
    from plugin.diet.chat import PHI3
    from training.dataset import write_splits

    write_splits(tmp_path, {"train": 3, "valid": 2}, seed=1, template=PHI3)
    assert {mode(tmp_path / f"{s}.jsonl") for s in ("train", "valid")} == {0o644}
