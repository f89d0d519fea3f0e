"""No absolute machine path in what the project ships or writes for others; readers take old and new forms."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from plugin.paths import ADAPTERS_DIR, ROOT, portable
from plugin.runtime.adapter_folder import ADAPTERS, CONFIG, AdapterError, check_base_model
from plugin.snapshots import snapshot_key
from plugin.tests.portable_paths import absolute_paths, artefacts, tracked

REFERENCE = ADAPTERS_DIR / "smollm2-recipe-lora-cpu"
# The reference adapter's weights, as trained (commit fb612c0): making its config portable must not touch them.
REFERENCE_WEIGHTS_SHA256 = "f9761bc12d5c06c210ccbce54ec0d9ac3a2515d1998d7df3b279d1e0867623bd"
SNAPSHOT = "tests_model/__snapshots__/m--a/test_snapshots/test_golden_recipe[vegan].txt"


@pytest.fixture(scope="module")
def shipped() -> list[str]:
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: which files ship is git's list")
    return tracked(ROOT)


def test_shipped_artefacts_hold_no_absolute_path(shipped: list[str]) -> None:
    assert f"{REFERENCE.relative_to(ROOT)}/{CONFIG}" in artefacts(shipped)
    assert absolute_paths(ROOT, artefacts(shipped)) == []


def test_the_reference_adapter_weights_are_unchanged() -> None:
    assert hashlib.sha256((REFERENCE / ADAPTERS).read_bytes()).hexdigest() == REFERENCE_WEIGHTS_SHA256


def safetensors_with_metadata(metadata: dict[str, str]) -> bytes:
    header = json.dumps({"__metadata__": metadata, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return len(header).to_bytes(8, "little") + header + b"\0\0\0\0"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The reference adapter's text files and a snapshot, in a tree shaped like the repository's."""
    folder = tmp_path / REFERENCE.relative_to(ROOT)
    shutil.copytree(REFERENCE, folder, ignore=shutil.ignore_patterns("*.safetensors", "*.png", ".*"))
    (tmp_path / SNAPSHOT).parent.mkdir(parents=True)
    (tmp_path / SNAPSHOT).write_text("diet: vegan\n\n- 1/2 cup rice and/or beans (https://world.openfoodfacts.org/a/b)\n")
    return tmp_path


def artefacts_in(root: Path) -> list[str]:
    return artefacts(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))


@pytest.mark.parametrize(
    ("file", "planted", "found"),
    [
        (CONFIG, '"base_model": "/home/alice/models/smollm2-135m-instruct-q4"', "/home/alice/models/smollm2-135m-instruct-q4"),
        ("metrics.jsonl", '{"data": "C:\\\\Users\\\\bob\\\\data"}', "C:\\\\Users\\\\bob\\\\data"),
        ("training_config_v3.json", '"adapter_dir": "~/adapters/cpu"', "~/adapters/cpu"),
        (SNAPSHOT, "saved to /Users/bob/recipes/out.txt", "/Users/bob/recipes/out.txt"),
        (ADAPTERS, {"base_model": "/work/main/models/x"}, "/work/main/models/x"),
    ],
    ids=["adapter-config", "windows-path", "home-path", "snapshot", "safetensors-metadata"],
)
def test_a_planted_absolute_path_is_found(copy: Path, file: str, planted: str | dict[str, str], found: str) -> None:
    assert absolute_paths(copy, artefacts_in(copy)) == []  # relative paths, URLs and fractions are not paths
    path = copy / file if "/" in file else copy / REFERENCE.relative_to(ROOT) / file
    if isinstance(planted, dict):
        path.write_bytes(safetensors_with_metadata(planted))
    else:
        path.write_text(path.read_text() + planted if path.exists() else planted)
    assert [hit.split(": ", 1)[1] for hit in absolute_paths(copy, artefacts_in(copy))] == [found]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (ROOT / "models" / "smollm2-135m-instruct-q4", "models/smollm2-135m-instruct-q4"),
        (str(ROOT / "adapters" / "x"), "adapters/x"),
        ("/elsewhere/models/phi3-local", "phi3-local"),
        ("~/models/phi3-local", "phi3-local"),
        ("models/smollm2-135m-instruct-q4", "models/smollm2-135m-instruct-q4"),
        ("mlx-community/Phi-3-mini-4k-instruct-4bit", "mlx-community/Phi-3-mini-4k-instruct-4bit"),
        ("embedded:smollm2-135m-instruct", "embedded:smollm2-135m-instruct"),
    ],
)
def test_portable(value: str | Path, expected: str) -> None:
    assert portable(value) == expected


@pytest.mark.parametrize(
    ("recorded", "model"),
    [
        (str(ROOT / "models" / "tiny"), "models/tiny"),  # a config written before, by this machine
        ("models/tiny", str(ROOT / "models" / "tiny")),  # a portable config, an absolute --recipe-model
        ("models/tiny", "models/tiny"),
        ("embedded:smollm2-135m-instruct", "embedded:smollm2-135m-instruct"),
    ],
)
def test_check_base_model_takes_old_and_portable_configs(tmp_path: Path, recorded: str, model: str) -> None:
    (tmp_path / CONFIG).write_text(json.dumps({"model": recorded}))
    check_base_model(tmp_path, model, "this run's")


def test_check_base_model_still_refuses_another_model(tmp_path: Path) -> None:
    (tmp_path / CONFIG).write_text(json.dumps({"model": str(ROOT / "models" / "tiny")}))
    with pytest.raises(AdapterError, match="trained on .*models/tiny, but this run's base model is models/other"):
        check_base_model(tmp_path, "models/other", "this run's")


def test_snapshot_names_never_spell_a_location() -> None:
    assert snapshot_key("/gone/models/smollm2-135m-instruct-fp32", Path("/x/adapter")) == "smollm2-135m-instruct-fp32--adapter"
    assert snapshot_key("mlx-community/Phi-3", None) == "mlx-community--Phi-3--no-adapter"
