"""The GitHub Actions workflows lint clean and run the README's commands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: run scripts/setup.sh (it installs the dev extra)", pytrace=False)
    return found


def test_workflows_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml"]


def test_actionlint_is_clean() -> None:
    result = subprocess.run([actionlint(), *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_job_runs_a_readme_command() -> None:
    readme = (ROOT / "README.md").read_text()
    text = WORKFLOWS[0].read_text()
    for command in ("make test", "make train"):
        assert command in readme
    assert text.count("run: make test") == 3 and "run: make train" in text  # with ARGS for --junitxml


def test_ci_script_runs_the_readme_test_command() -> None:
    assert "\nmake test\n" in (ROOT / ".ci" / "run").read_text()


def test_every_job_uploads_its_reports_and_junit_xml() -> None:
    import yaml

    jobs = yaml.safe_load(WORKFLOWS[0].read_text())["jobs"]
    for name, job in jobs.items():
        steps = job["steps"]
        uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
        assert uploads and all(s.get("if") == "always()" for s in uploads), name  # failed runs need them most
        assert "reports/" in uploads[0]["with"]["path"], name
        tests = [s for s in steps if "make test" in str(s.get("run", ""))]
        assert tests and all("--junitxml=reports/" in s["run"] for s in tests), name
