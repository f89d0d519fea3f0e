"""syrupy extension: one readable text file per generated recipe, filed per model + adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from syrupy.extensions.base import AbstractSyrupyExtension
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from plugin.diet import Scenario


class RecipeSnapshotExtension(SingleFileSnapshotExtension):
    file_extension = "txt"
    _write_mode = WriteMode.TEXT
    key: ClassVar[str] = "unset"

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        # __snapshots__/<model>--<adapter>/<test module>/<test>.txt
        base = Path(AbstractSyrupyExtension.dirname(test_location=test_location))
        return str(base / cls.key / test_location.basename)


def snapshot_key(base_model: str, adapter: Path | None) -> str:
    """``<model>--<adapter>``: the converted model folder (dtype included) and the adapter's name."""
    local = Path(base_model).exists() or Path(base_model).is_absolute()  # a folder: its name, never its location
    model = Path(base_model).name if local else base_model.replace("/", "--")
    return f"{model}--{adapter.name if adapter else 'no-adapter'}"


def extension_for(key: str) -> type[RecipeSnapshotExtension]:
    return type(f"RecipeSnapshot_{abs(hash(key))}", (RecipeSnapshotExtension,), {"key": key})


def render(scenario: Scenario, output: str) -> str:
    return f"diet: {scenario.diet}\npantry: {', '.join(scenario.pantry)}\nrequest: {scenario.request}\n\n{output.strip()}\n"
