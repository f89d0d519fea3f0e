"""LoRA configs: the seed's V3 values, validation that names the key, one precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.paths import ROOT
from training.config import ConfigError, epochs, load_config, steps_per_epoch

V3 = ROOT / "training" / "lora_config_v3.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cfg.yaml"
    path.write_text(text)
    return path


def test_v3_has_the_seed_values_exactly() -> None:
    cfg = load_config(V3)
    assert cfg.model == "mlx-community/Phi-3-mini-4k-instruct-4bit"
    assert (cfg.train, cfg.data, cfg.iters, cfg.batch_size, cfg.learning_rate) == (True, "data/finetune", 9000, 1, 5e-5)
    lora = cfg.lora_parameters
    assert (lora.rank, lora.alpha, lora.dropout, lora.scale) == (8, 16, 0.05, 16.0)
    assert (cfg.steps_per_report, cfg.steps_per_eval, cfg.save_every) == (50, 200, 500)
    assert (cfg.max_seq_length, cfg.adapter_path, cfg.grad_checkpoint, cfg.seed) == (
        2048,
        "models/phi3-recipe-lora-v3",
        False,
        42,
    )
    assert (cfg.targets.train_loss, cfg.targets.val_loss) == (0.60, 0.65)


def test_v3_schedule_is_two_epochs_of_4500() -> None:
    cfg = load_config(V3)
    assert steps_per_epoch(cfg, 4500) == 4500 and epochs(cfg, 4500) == cfg.epochs == 2


def test_v2_is_the_seeds_v2() -> None:
    cfg = load_config(ROOT / "training" / "lora_config_v2.yaml")
    assert (cfg.learning_rate, cfg.lora_parameters.alpha, cfg.lora_parameters.scale, cfg.epochs) == (1e-4, 20, 20.0, 3)
    assert epochs(cfg, cfg.data_counts["train"]) == 3


def test_cpu_config_loads_and_fits_its_data() -> None:
    cfg = load_config(ROOT / "training" / "lora_config_cpu.yaml")
    assert cfg.model == "embedded:smollm2-135m-instruct"
    assert epochs(cfg, cfg.data_counts["train"]) == pytest.approx(cfg.epochs)


def test_cli_beats_yaml_beats_defaults() -> None:
    assert load_config(None).batch_size == 4  # default
    assert load_config(V3).batch_size == 1  # YAML
    cfg = load_config(V3, {"batch_size": 2, "iters": None, "lora_parameters": {"rank": 4}})
    assert (cfg.batch_size, cfg.iters, cfg.lora_parameters.rank, cfg.lora_parameters.scale) == (2, 9000, 4, 16.0)


def test_unknown_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cfg\.yaml: unknown key 'learning_rat'"):
        load_config(write(tmp_path, "learning_rat: 1e-4\n"))


def test_unknown_nested_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"lora_parameters: unknown key 'rnk'"):
        load_config(write(tmp_path, "lora_parameters: {rnk: 8}\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("iters: ten\n", r"iters must be int, got 'ten'"),
        ("batch_size: 1.5\n", r"batch_size must be int"),
        ("grad_checkpoint: 1\n", r"grad_checkpoint must be bool"),
        ("learning_rate: fast\n", r"learning_rate must be float"),
        ("iters: 0\n", r"iters must be >= 1, got 0"),
        ("val_batches: -2\n", r"val_batches must be -1 \(whole set\), 0 \(no validation\) or >= 1, got -2"),
        ("learning_rate: 2\n", r"learning_rate must be in \(0, 1\)"),
        ("lora_parameters: {dropout: 1.5}\n", r"lora_parameters need"),
        ("fine_tune_type: qlora\n", r"fine_tune_type must be lora, dora or full"),
        ("- a list\n", r"top level must be a mapping"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cfg\.yaml:3: invalid YAML \(mapping values are not allowed here\)"):
        load_config(write(tmp_path, "iters: 10\nbatch_size: 1\n  bad: [x\nseed: 1\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_alpha_scale_disagreement_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match=r"alpha=20 differs from scale=16; mlx-lm ignores alpha"):
        load_config(write(tmp_path, "lora_parameters: {alpha: 20, scale: 16.0}\n"))


def test_training_progress_shows_an_eta_at_the_pace_so_far() -> None:
    from training.reuse import progress_printer

    lines: list[str] = []
    times = iter([100.0, 160.0, 220.0])  # a report every 60 s, 10 iterations apart
    show = progress_printer(lines.append, iters=40, clock=lambda: next(times))
    row = {"train_loss": 1.0, "iterations_per_second": 0.17, "tokens_per_second": 100.0, "peak_memory": 4.0}
    for iteration in (10, 20, 30):
        show({**row, "iteration": iteration})
    assert lines[0].endswith("peak 4.00 GB [10/40]")
    assert lines[1].endswith("[20/40, 50%, ETA 2.0 min]")  # 10 iterations per minute, 20 left
    assert lines[2].endswith("[30/40, 75%, ETA 1.0 min]")


SCHEDULE = "lr_schedule: {name: cosine_decay, arguments: [1e-3, 100, 1e-5], warmup: 10, warmup_init: 1e-6}\n"


def test_lr_schedule_takes_mlx_lms_keys(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, "learning_rate: 1e-3\n" + SCHEDULE))
    assert cfg.lr_schedule is not None
    assert cfg.lr_schedule.to_mlx() == {"name": "cosine_decay", "arguments": [1e-3, 100, 1e-5], "warmup": 10, "warmup_init": 1e-6}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lr_schedule: {name: cosine, arguments: [1e-3, 10]}\n", r"lr_schedule: name must be one of cosine_decay, "),
        ("lr_schedule: {name: cosine_decay}\n", r"lr_schedule: arguments must start with the initial learning rate"),
        ("lr_schedule: {arguments: [fast, 10]}\n", r"lr_schedule: arguments must be tuple\[float, \.\.\.\]"),
        ("lr_schedule: {arguments: [1e-3, 10], warmup: -1}\n", r"lr_schedule: warmup and warmup_init must be >= 0"),
        ("lr_schedule: {arguments: [1e-3, 10], warmpu: 5}\n", r"lr_schedule: unknown key 'warmpu'"),
        ("lr_schedule: cosine\n", r"lr_schedule must be a mapping"),
    ],
)
def test_bad_lr_schedule_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"cfg\.yaml.*" + message):
        load_config(write(tmp_path, "learning_rate: 1e-3\n" + text))


def test_schedule_and_learning_rate_disagreement_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match=r"lr_schedule starts at 0.001, learning_rate=0.0005 is not used"):
        load_config(write(tmp_path, "learning_rate: 5e-4\n" + SCHEDULE))


def test_an_unset_schedule_keeps_older_fingerprints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adapters fingerprinted before lr_schedule existed keep their identity (the shipped reference, reused ones)."""
    from training import fingerprint as fp
    from training.config import TrainConfig

    cpu = load_config(ROOT / "training" / "lora_config_cpu.yaml")
    now = fp.fingerprint(cpu, "x")
    with_schedule = load_config(write(tmp_path, "learning_rate: 1e-3\n" + SCHEDULE))
    assert fp.fingerprint(with_schedule, "x") != fp.fingerprint(load_config(write(tmp_path, "learning_rate: 1e-3\n")), "x")
    older = TrainConfig.to_dict  # what a config's fields were before the key: every field but lr_schedule
    monkeypatch.setattr(TrainConfig, "to_dict", lambda self: {k: v for k, v in older(self).items() if k != "lr_schedule"})
    assert fp.fingerprint(cpu, "x") == now


def test_dataset_rejects_a_no_protein_rate_outside_0_1(capsys) -> None:
    from training import dataset

    with pytest.raises(SystemExit) as exc:
        dataset.main(["--no-protein-rate", "1.5"])
    assert exc.value.code == 2
    assert "argument --no-protein-rate: expected a share between 0 and 1, got '1.5'" in capsys.readouterr().err
