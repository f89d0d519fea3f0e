"""The regression report over saved pytest-benchmark runs."""

from __future__ import annotations

import json
from pathlib import Path

from plugin.report import perf_report


def save(storage: Path, name: str, tokens: float, memory: float) -> None:
    folder = storage / "Linux-CPython-3.11-64bit"
    folder.mkdir(parents=True, exist_ok=True)
    bench = {
        "name": "test_gen",
        "stats": {"mean": 1.0},
        "extra_info": {"tokens_per_s": tokens, "peak_memory_gb": memory, "blas": "x"},
    }
    (folder / f"{name}.json").write_text(json.dumps({"benchmarks": [bench]}))


def test_report_flags_regressions(tmp_path: Path, capsys) -> None:
    save(tmp_path / "b", "0001_base", tokens=100, memory=1.0)
    save(tmp_path / "b", "0002_new", tokens=80, memory=0.9)
    code = perf_report.main(["--storage", str(tmp_path / "b"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 1
    assert "| `test_gen::tokens_per_s` | 100 | 80 | -20.0% | FAIL |" in out
    assert "| `test_gen::peak_memory_gb` | 1 | 0.9 | +10.0% | pass |" in out
    assert (tmp_path / "out" / "test_gen.png").stat().st_size > 1000


def test_report_passes_within_tolerance(tmp_path: Path) -> None:
    save(tmp_path, "0001_a", tokens=100, memory=1.0)
    save(tmp_path, "0002_b", tokens=95, memory=1.05)
    assert perf_report.main(["--storage", str(tmp_path), "--out", str(tmp_path / "o")]) == 0


def test_no_runs_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert perf_report.main(["--storage", str(tmp_path)]) == 2
    assert "no saved benchmark runs; run `pytest tests_perf --benchmark-autosave` first" in capsys.readouterr().err
