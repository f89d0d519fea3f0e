"""The venv's BLAS start-up hook: a plain python from the venv runs MLX on the optimized BLAS, RECIPE_BLAS=off still
keeps the reference one, and the installer writes, updates and removes exactly its two files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.paths import ROOT, SETUP_STAMP
from plugin.runtime import blas_hook, blas_preload
from plugin.tests.import_rules import imports

# Runs in the child: no project import, only what any user's script would do.
CHILD = """
import json, sys
import mlx.core as mx
mx.eval(mx.ones((64, 64)) @ mx.ones((64, 64)))
mapped = sorted({line.split()[-1] for line in open('/proc/self/maps') if '.so' in line})
project = sorted(m for m in sys.modules if m.split('.')[0] in ('plugin', 'training'))
print(json.dumps({"mapped": mapped, "project": project}))
"""


@pytest.fixture
def fast_blas() -> str:
    """The library the set-up's hook preloads, or a skip saying why the hook cannot apply here."""
    if sys.platform != "linux":
        pytest.skip(f"the BLAS start-up hook exists only on Linux (MLX does not use the reference BLAS on {sys.platform})")
    if not (Path(sys.prefix) / SETUP_STAMP).is_file():
        pytest.skip(f"{sys.prefix} was not made by scripts/setup.sh (no {SETUP_STAMP}), so it has no start-up hook")
    found = blas_preload.candidates()
    if not found:
        pytest.skip("no optimized BLAS on this machine (scripts/setup.sh installs OpenBLAS)")
    return os.path.realpath(found[0])  # /proc/self/maps names the file, not the symlink


def plain_python(tmp_path: Path, **env: str) -> dict[str, list[str]]:
    """A fresh interpreter of this venv, outside the repository and without RECIPE_BLAS unless given."""
    child_env = {k: v for k, v in os.environ.items() if k not in (blas_preload.ENV_VAR, "PYTHONPATH")} | env
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=tmp_path, env=child_env, capture_output=True, text=True, check=True)
    result: dict[str, list[str]] = json.loads(out.stdout)
    assert result["project"] == [], "the child imported the project; the hook must work without it"
    return result


def test_a_plain_venv_python_runs_mlx_on_the_optimized_blas(fast_blas: str, tmp_path: Path) -> None:
    stale = blas_hook.stale_files(blas_hook.site_packages(), blas_preload.candidates()[0])
    assert stale == [], f"the hook in {blas_hook.site_packages()} is older than plugin/runtime/blas_preload.py: `make setup`"
    mapped = plain_python(tmp_path)["mapped"]
    assert fast_blas in mapped, (
        f"a plain {sys.executable} imported mlx.core without {fast_blas}: it runs on the reference BLAS "
        f"(hook files missing or stale in {blas_hook.site_packages()}: {stale}; run `make setup`)"
    )


def test_recipe_blas_off_keeps_the_reference_blas(fast_blas: str, tmp_path: Path) -> None:
    mapped = plain_python(tmp_path, **{blas_preload.ENV_VAR: blas_preload.OFF})["mapped"]
    assert fast_blas not in mapped, f"{blas_preload.ENV_VAR}={blas_preload.OFF} must keep MLX's reference BLAS"


def test_install_is_idempotent_and_remove_is_clean(tmp_path: Path) -> None:
    library = "/opt/blas/libopenblas.so.0"
    assert blas_hook.install(tmp_path, library) == list(blas_hook.NAMES)
    assert blas_hook.install(tmp_path, library) == []
    pth = (tmp_path / blas_hook.NAMES[1]).read_text()
    assert pth.startswith("import ") and pth.count("\n") == 1 and repr(library) in pth  # site runs one-line imports
    assert (tmp_path / blas_hook.NAMES[0]).read_text() == Path(blas_preload.__file__).read_text()
    assert blas_hook.remove(tmp_path) == list(blas_hook.NAMES)
    assert sorted(tmp_path.iterdir()) == []


def test_a_stale_hook_is_rewritten(tmp_path: Path) -> None:
    blas_hook.install(tmp_path, "/old/libblas.so.3")
    (tmp_path / blas_hook.NAMES[0]).write_text("# an older copy\n")
    assert blas_hook.install(tmp_path, "/new/libblas.so.3") == list(blas_hook.NAMES)
    assert blas_hook.stale_files(tmp_path, "/new/libblas.so.3") == []


@pytest.mark.parametrize(
    ("platform", "found", "expected"), [("darwin", ["/x/libblas.so"], "none on darwin"), ("linux", [], "none: no optimized")]
)
def test_no_hook_where_it_cannot_help(tmp_path: Path, monkeypatch, platform: str, found: list[str], expected: str) -> None:
    blas_hook.install(tmp_path, "/left/from/before.so")
    monkeypatch.setattr(blas_hook, "candidates", lambda: found)
    assert blas_hook.set_up(tmp_path, platform).startswith(expected)
    assert sorted(tmp_path.iterdir()) == []


def test_the_hook_preloads_what_it_is_told_and_never_raises(monkeypatch) -> None:
    loaded: list[str] = []
    monkeypatch.setattr(blas_preload, "load", loaded.append)
    monkeypatch.setattr(blas_preload, "loaded", None)  # preload() records what it loaded; restore it afterwards
    monkeypatch.delenv(blas_preload.ENV_VAR, raising=False)
    blas_preload.preload("/located/libblas.so.3")
    monkeypatch.setenv(blas_preload.ENV_VAR, " OFF ")
    blas_preload.preload("/located/libblas.so.3")
    monkeypatch.setenv(blas_preload.ENV_VAR, "/chosen/libmkl_rt.so.2")
    blas_preload.preload("/located/libblas.so.3")
    assert loaded == (["/located/libblas.so.3", "/chosen/libmkl_rt.so.2"] if sys.platform == "linux" else [])
    monkeypatch.setattr(blas_preload, "load", cannot_open)
    blas_preload.preload("/no/such/lib.so")  # silent: MLX keeps its reference BLAS


def cannot_open(path: str) -> None:
    raise OSError(f"{path}: cannot open shared object file")


def test_the_hook_copy_imports_only_the_stdlib() -> None:
    source = Path(blas_preload.__file__)
    found = [i.target for i in imports(ROOT, source) if i.target.split(".")[0] not in sys.stdlib_module_names]
    assert found == [], f"{source.name} is copied into site-packages and runs at every start-up: stdlib only"
