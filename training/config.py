"""LoRA training config: one precedence (CLI > YAML > defaults), validated keys, types and ranges.

The YAML keys are mlx-lm's ``lora`` keys plus a few suite extensions taken from
the seed guide (``epochs``, ``data_counts``, ``targets``, ``overfit_patience``).
An unknown key, a wrong type or an out-of-range value is a ``ConfigError`` that
names the file and the key.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plugin.diet.errors import SuiteError
from plugin.paths import from_root
from plugin.runtime.embedded import MODEL_ID as EMBEDDED_MODEL_ID


class ConfigError(SuiteError, ValueError):
    """A bad config value; the message names the file and the key."""


@dataclass(frozen=True)
class LoraParameters:
    rank: int = 8
    alpha: float = 20.0
    dropout: float = 0.0
    scale: float = 20.0
    keys: tuple[str, ...] | None = None


@dataclass(frozen=True)
class LrSchedule:
    """mlx-lm's ``lr_schedule``: an ``mlx.optimizers`` schedule, its arguments, and an optional linear warm-up."""

    name: str = "cosine_decay"
    arguments: tuple[float, ...] = ()
    warmup: int = 0
    warmup_init: float = 0.0

    def to_mlx(self) -> dict[str, Any]:
        return {"name": self.name, "arguments": list(self.arguments), "warmup": self.warmup, "warmup_init": self.warmup_init}


# The schedules of mlx.optimizers that take (initial value, ...) and so fit mlx-lm's build_schedule.
SCHEDULES = ("cosine_decay", "exponential_decay", "linear_schedule", "step_decay")


@dataclass(frozen=True)
class Targets:
    train_loss: float = 0.60
    val_loss: float = 0.65


@dataclass(frozen=True)
class TrainConfig:
    model: str = EMBEDDED_MODEL_ID
    train: bool = True
    data: str = "data/finetune"
    fine_tune_type: str = "lora"
    num_layers: int = 16
    iters: int = 1000
    batch_size: int = 4
    learning_rate: float = 1e-5
    lr_schedule: LrSchedule | None = None  # when set, it drives the learning rate (as in mlx-lm)
    lora_parameters: LoraParameters = field(default_factory=LoraParameters)
    steps_per_report: int = 10
    steps_per_eval: int = 200
    save_every: int = 100
    val_batches: int = 25
    max_seq_length: int = 2048
    adapter_path: str = "adapters"
    grad_checkpoint: bool = False
    mask_prompt: bool = False
    seed: int = 0
    # suite extensions
    epochs: float | None = None
    data_counts: dict[str, int] = field(default_factory=lambda: {"train": 4500, "valid": 500})
    targets: Targets = field(default_factory=Targets)
    overfit_patience: int = 3

    @property
    def data_dir(self) -> Path:
        return resolve_path(self.data)

    @property
    def adapter_dir(self) -> Path:
        return resolve_path(self.adapter_path)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


POSITIVE_INTS = ("iters", "batch_size", "steps_per_report", "steps_per_eval", "save_every", "max_seq_length", "overfit_patience")
NESTED = {"lora_parameters": LoraParameters, "targets": Targets, "lr_schedule": LrSchedule}


def resolve_path(value: str) -> Path:
    return from_root(value)


def _type_ok(value: Any, annotation: str) -> bool:
    if "bool" in annotation:
        return isinstance(value, bool)
    if annotation.startswith("int"):
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation.startswith("float"):
        return isinstance(value, (int, float)) and not isinstance(value, bool) or (value is None and "None" in annotation)
    if annotation.startswith("str"):
        return isinstance(value, str)
    if annotation.startswith("dict"):
        return isinstance(value, dict)
    if annotation.startswith("tuple[float"):
        return isinstance(value, (list, tuple)) and all(_type_ok(v, "float") for v in value)
    if annotation.startswith("tuple"):
        return value is None or isinstance(value, (list, tuple))
    return True


def _coerce(value: Any, annotation: str) -> Any:
    # YAML 1.1 reads "5e-05" (no dot) as a string; mlx-lm's own loader has the same workaround.
    if isinstance(value, list) and annotation.startswith("tuple[float"):
        return [_coerce(v, "float") for v in value]
    if isinstance(value, str) and annotation.startswith("float"):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _build(cls: type, raw: dict[str, Any], where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(fields)})")
    values = {}
    for key, value in raw.items():
        if key in NESTED and cls is TrainConfig:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: {key} must be a mapping, got {type(value).__name__}")
            values[key] = _build(NESTED[key], value, f"{where}: {key}")
            continue
        annotation = str(fields[key].type)
        value = _coerce(value, annotation)
        if not _type_ok(value, annotation):
            raise ConfigError(f"{where}: {key} must be {annotation}, got {value!r} ({type(value).__name__})")
        values[key] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


def _check_ranges(cfg: TrainConfig, where: str) -> None:
    for key in POSITIVE_INTS:
        if getattr(cfg, key) < 1:
            raise ConfigError(f"{where}: {key} must be >= 1, got {getattr(cfg, key)}")
    if not 0 < cfg.learning_rate < 1:
        raise ConfigError(f"{where}: learning_rate must be in (0, 1), got {cfg.learning_rate}")
    lora = cfg.lora_parameters
    if lora.rank < 1 or not 0 <= lora.dropout < 1 or lora.scale <= 0:
        raise ConfigError(f"{where}: lora_parameters need rank >= 1, 0 <= dropout < 1, scale > 0; got {lora}")
    if cfg.fine_tune_type not in ("lora", "dora", "full"):
        raise ConfigError(f"{where}: fine_tune_type must be lora, dora or full, got {cfg.fine_tune_type!r}")
    if cfg.num_layers == 0 or cfg.num_layers < -1:
        raise ConfigError(f"{where}: num_layers must be >= 1 or -1 (all), got {cfg.num_layers}")
    if cfg.lr_schedule is not None:
        _check_schedule(cfg.lr_schedule, f"{where}: lr_schedule")
    if cfg.val_batches < -1:
        raise ConfigError(f"{where}: val_batches must be -1 (whole set), 0 (no validation) or >= 1, got {cfg.val_batches}")


def _check_schedule(schedule: LrSchedule, where: str) -> None:
    if schedule.name not in SCHEDULES:
        raise ConfigError(f"{where}: name must be one of {', '.join(SCHEDULES)}, got {schedule.name!r}")
    if not schedule.arguments or not 0 < schedule.arguments[0] < 1:
        raise ConfigError(
            f"{where}: arguments must start with the initial learning rate in (0, 1), got {list(schedule.arguments)}"
        )
    if schedule.warmup < 0 or schedule.warmup_init < 0:
        raise ConfigError(f"{where}: warmup and warmup_init must be >= 0, got {schedule.warmup} and {schedule.warmup_init}")


def _warn_schedule_lr(cfg: TrainConfig, where: str) -> None:
    if cfg.lr_schedule is not None and cfg.lr_schedule.arguments[0] != cfg.learning_rate:
        warnings.warn(
            f"{where}: lr_schedule starts at {cfg.lr_schedule.arguments[0]:g}, learning_rate={cfg.learning_rate:g} "
            "is not used (as in mlx-lm, the schedule drives the learning rate)",
            stacklevel=3,
        )


def _warn_alpha_scale(cfg: TrainConfig, where: str) -> None:
    lora = cfg.lora_parameters
    if lora.alpha != lora.scale:
        warnings.warn(
            f"{where}: lora_parameters.alpha={lora.alpha:g} differs from scale={lora.scale:g}; "
            "mlx-lm ignores alpha and multiplies the LoRA update by scale",
            stacklevel=3,
        )


def read_utf8(path: Path, error: type[SuiteError]) -> str:
    """The file's text; bytes that are not UTF-8 are ``error`` naming file:line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column {column})") from None


def load_yaml_mapping(path: Path, error: type[SuiteError]) -> dict[str, Any]:
    """A YAML file whose top level is a mapping; anything else is ``error`` naming the file (and line)."""
    try:
        raw = yaml.safe_load(read_utf8(path, error))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise error(f"{path}{line}: invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise error(f"{path}: top level must be a mapping of keys, got {type(raw).__name__}")
    return raw


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    raw = load_yaml_mapping(path, ConfigError)
    if not raw:
        raise ConfigError(f"{path}: top level must be a mapping of keys")
    return raw


def load_config(path: Path | str | None = None, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Defaults, then the YAML file, then ``overrides`` (CLI values; ``None`` means unset)."""
    raw: dict[str, Any] = read_yaml(Path(path)) if path else {}
    where = str(path) if path else "defaults"
    set_overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    for key, value in set_overrides.items():
        if key in NESTED and isinstance(value, dict):
            raw[key] = {**raw.get(key, {}), **value}
        else:
            raw[key] = value
    if set_overrides:
        where += " (with command-line overrides)"
    cfg = _build(TrainConfig, raw, where)
    _check_ranges(cfg, where)
    _warn_alpha_scale(cfg, where)
    _warn_schedule_lr(cfg, where)
    return cfg


def steps_per_epoch(cfg: TrainConfig, train_count: int) -> float:
    return train_count / cfg.batch_size


def epochs(cfg: TrainConfig, train_count: int) -> float:
    return cfg.iters * cfg.batch_size / train_count
