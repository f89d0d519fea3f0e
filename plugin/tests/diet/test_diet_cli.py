"""python -m plugin.diet check ..."""

from __future__ import annotations

import json
import subprocess
import sys

from plugin.diet import main
from plugin.paths import ROOT


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "plugin.diet", *args], input=stdin, cwd=ROOT, capture_output=True, text=True)


def test_module_entry_point_violation_exit_1():
    out = run("check", "--diet", "vegan", "-", stdin="Add bacon and sugar.")
    assert out.returncode == 1
    assert json.loads(out.stdout) == [{"term": "bacon", "ingredient": "bacon", "category": "pork", "start": 4, "end": 9}]


def test_strict_file_and_clean_exit_0(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text("Sprinkle with sugar.", encoding="utf-8")  # "Sprinkle" is the verb, not sprinkles
    assert main(["check", "--diet", "vegan", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["check", "--diet", "vegan", "--strict", str(path)]) == 1
    assert json.loads(capsys.readouterr().out)[0]["ingredient"] == "sugar"


def test_unknown_diet_exit_2(capsys):
    assert main(["check", "--diet", "keto", "-"]) == 2
    err = capsys.readouterr().err.strip()
    assert "keto" in err and "vegan" in err and len(err.splitlines()) == 1


def test_missing_file_exit_2(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["check", "--diet", "vegan", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(missing) in err and len(err.splitlines()) == 1


def test_policy_table_is_printed_and_in_the_readme(capsys):
    from plugin.diet.cli import policy_table

    assert main(["policy"]) == 0
    table = capsys.readouterr().out
    assert table == policy_table() and "| vegan | The Vegan Society" in table
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), (
        "README's policy table is stale: paste `python -m plugin.diet policy`"
    )


def test_invalid_utf8_on_stdin_is_bad_input() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "plugin.diet", "check", "--diet", "vegan", "-"],
        input=b"ok\n\xff bacon",
        cwd=ROOT,
        capture_output=True,
    )
    assert out.returncode == 2
    assert out.stderr.decode().strip() == "error: stdin:2: not UTF-8 (byte 0xff at offset 3)"


def test_empty_input_is_bad_input() -> None:
    out = run("check", "--diet", "vegan", "-", stdin="  \n")
    assert (out.returncode, out.stderr.strip()) == (2, "error: stdin: empty input, nothing to check")


def test_diet_name_in_any_case() -> None:
    out = run("check", "--diet", "Vegan", "-", stdin="Add bacon.")
    assert out.returncode == 1 and json.loads(out.stdout)[0]["ingredient"] == "bacon"


def test_piping_into_head_is_quiet_and_keeps_the_verdict() -> None:
    text = "Add bacon. " * 20000
    shell = f"{sys.executable} -m plugin.diet check --diet vegan - | head -c 10 > /dev/null; exit ${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", shell], input=text, cwd=ROOT, capture_output=True, text=True)
    assert (out.returncode, out.stderr) == (1, "")
