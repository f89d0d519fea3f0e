"""OpenBLAS's kernel set: an inherited OPENBLAS_CORETYPE that holds a CPU's AVX-512 units back is replaced, only where
the CPU has them, never over RECIPE_BLAS_CORE=off; the report says so; a benchmark's baseline gets the inherited one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.paths import ROOT
from plugin.runtime import blas, blas_preload
from plugin.runtime.blas_preload import (
    AVX512_FLAGS,
    CORE_ENV_VAR,
    INHERITED_ENV_VAR,
    OFF,
    OPENBLAS_CORETYPE,
    core_override,
)

OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"
ZEN5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nflags\t\t: fpu sse avx2 fma " + " ".join(AVX512_FLAGS)
ZEN3 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nflags\t\t: fpu sse avx2 fma"
# A second processor's block must not count: the flags are read from the first one.
ZEN3_THEN_AVX512 = ZEN3 + "\n\nprocessor\t: 1\nflags\t\t: " + " ".join(AVX512_FLAGS)


def override(environ: dict[str, str], cpuinfo: str = ZEN5, machine: str = "x86_64", path: str = OPENBLAS) -> str | None:
    return core_override(path, environ=environ, cpuinfo=cpuinfo, machine=machine)


def test_an_inherited_avx2_kernel_set_is_replaced_where_the_cpu_has_avx512() -> None:
    assert override({OPENBLAS_CORETYPE: "Haswell"}) == "SKYLAKEX"
    assert override({OPENBLAS_CORETYPE: " zen "}) == "SKYLAKEX"


@pytest.mark.parametrize(
    ("environ", "cpuinfo", "machine", "path", "why"),
    [
        ({}, ZEN5, "x86_64", OPENBLAS, "unset: OpenBLAS detects the CPU itself"),
        ({OPENBLAS_CORETYPE: "Cooperlake"}, ZEN5, "x86_64", OPENBLAS, "already an AVX-512 kernel set"),
        ({OPENBLAS_CORETYPE: "Haswell", CORE_ENV_VAR: " Off "}, ZEN5, "x86_64", OPENBLAS, "RECIPE_BLAS_CORE=off"),
        ({OPENBLAS_CORETYPE: "Haswell"}, ZEN3, "x86_64", OPENBLAS, "no AVX-512 on this CPU"),
        ({OPENBLAS_CORETYPE: "Haswell"}, ZEN3_THEN_AVX512, "x86_64", OPENBLAS, "the first processor decides"),
        ({OPENBLAS_CORETYPE: "Haswell"}, ZEN5, "aarch64", OPENBLAS, "not x86-64"),
        ({OPENBLAS_CORETYPE: "Haswell"}, ZEN5, "x86_64", "/opt/lib/libmkl_rt.so.2", "MKL has no OpenBLAS kernels"),
    ],
)
def test_everything_else_is_left_as_it_is(environ: dict[str, str], cpuinfo: str, machine: str, path: str, why: str) -> None:
    assert override(environ, cpuinfo, machine, path) is None, why


def test_the_cpu_is_read_from_proc_cpuinfo_and_a_missing_file_changes_nothing(monkeypatch) -> None:
    monkeypatch.setattr(blas_preload, "CPUINFO", "/no/such/cpuinfo")
    assert core_override(OPENBLAS, environ={OPENBLAS_CORETYPE: "Haswell"}, machine="x86_64") is None


def test_load_sets_the_kernel_set_before_loading_and_exports_what_it_replaced(monkeypatch) -> None:
    seen: list[str | None] = []
    monkeypatch.setattr(blas_preload.ctypes, "CDLL", lambda path, mode: seen.append(os.environ.get(OPENBLAS_CORETYPE)))
    monkeypatch.setattr(blas_preload, "core_override", lambda path: "SKYLAKEX")
    monkeypatch.setenv(OPENBLAS_CORETYPE, "Haswell")
    monkeypatch.delenv(INHERITED_ENV_VAR, raising=False)
    monkeypatch.delenv(CORE_ENV_VAR, raising=False)
    blas_preload.load(OPENBLAS)
    assert seen == ["SKYLAKEX"]
    assert blas.replaced_core() == ("SKYLAKEX", "Haswell")  # from the environment: a child reports it too


def test_off_in_a_child_gives_the_replaced_value_back(monkeypatch) -> None:
    seen: list[str | None] = []
    monkeypatch.setattr(blas_preload.ctypes, "CDLL", lambda path, mode: seen.append(os.environ.get(OPENBLAS_CORETYPE)))
    monkeypatch.setenv(OPENBLAS_CORETYPE, "SKYLAKEX")  # what the parent exported
    monkeypatch.setenv(INHERITED_ENV_VAR, "Haswell")
    monkeypatch.setenv(CORE_ENV_VAR, OFF)
    blas_preload.load(OPENBLAS)
    assert seen == ["Haswell"] and INHERITED_ENV_VAR not in os.environ and blas.replaced_core() is None


def test_a_failed_load_leaves_the_environment_as_it_was(monkeypatch) -> None:
    monkeypatch.setattr(blas_preload.ctypes, "CDLL", cannot_open)
    monkeypatch.setattr(blas_preload, "core_override", lambda path: "SKYLAKEX")
    monkeypatch.setenv(OPENBLAS_CORETYPE, "Haswell")
    monkeypatch.delenv(INHERITED_ENV_VAR, raising=False)
    with pytest.raises(OSError):
        blas_preload.load(OPENBLAS)
    assert os.environ[OPENBLAS_CORETYPE] == "Haswell" and INHERITED_ENV_VAR not in os.environ


def cannot_open(path: str, mode: int) -> None:
    raise OSError(f"{path}: cannot open shared object file")


def test_a_baseline_child_gets_the_inherited_kernel_set_back() -> None:
    exported = {OPENBLAS_CORETYPE: "SKYLAKEX", INHERITED_ENV_VAR: "Haswell", "PATH": "/bin"}
    assert blas.environ_with_inherited_kernels(exported) == {OPENBLAS_CORETYPE: "Haswell", CORE_ENV_VAR: OFF, "PATH": "/bin"}
    assert blas.environ_with_inherited_kernels({OPENBLAS_CORETYPE: "Zen"}) == {OPENBLAS_CORETYPE: "Zen", CORE_ENV_VAR: OFF}
    # a user's own SKYLAKEX, with nothing replaced, stays
    assert blas.environ_with_inherited_kernels({OPENBLAS_CORETYPE: "SKYLAKEX"})[OPENBLAS_CORETYPE] == "SKYLAKEX"


# Runs with -S from the repository root: no start-up hook, so this repository's blas_preload does the work.
CHILD = """
import json
from plugin.runtime.blas import ensure_fast_blas, openblas_core
info = ensure_fast_blas()
print(json.dumps({"core": openblas_core(info.path) if info.path else None, "describe": info.describe()}))
"""


def child(**env: str) -> dict[str, str]:
    drop = (OPENBLAS_CORETYPE, CORE_ENV_VAR, INHERITED_ENV_VAR, blas_preload.ENV_VAR, "PYTHONPATH")
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    command = [sys.executable, "-S", "-c", CHILD]
    out = subprocess.run(command, cwd=ROOT, env=environ | env, capture_output=True, text=True, check=True)
    result: dict[str, str] = json.loads(out.stdout)
    return result


def test_on_this_machine_the_preload_runs_the_kernels_it_reports() -> None:
    """Real OpenBLAS, real CPU: where the CPU has AVX-512 a Haswell pin becomes SkylakeX, and off keeps Haswell."""
    found = blas_preload.candidates()
    if sys.platform != "linux" or not found or "mkl" in found[0]:
        pytest.skip("needs Linux and OpenBLAS (scripts/setup.sh installs it)")
    if os.uname().machine != "x86_64":
        pytest.skip("OpenBLAS's Haswell and SkylakeX kernel sets are x86-64's")
    avx512 = set(blas_preload._first_cpu(Path(blas_preload.CPUINFO).read_text()).get("flags", "").split()) >= set(AVX512_FLAGS)
    pinned = child(**{OPENBLAS_CORETYPE: "Haswell"})
    kept = child(**{OPENBLAS_CORETYPE: "Haswell", CORE_ENV_VAR: OFF})
    assert kept["core"] == "Haswell" and "replaced" not in kept["describe"]
    if avx512:
        assert pinned["core"] == "SkylakeX", pinned
        assert "inherited OPENBLAS_CORETYPE=Haswell replaced; RECIPE_BLAS_CORE=off keeps it" in pinned["describe"]
    else:
        assert pinned == kept
