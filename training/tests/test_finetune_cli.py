"""The pre-flight and the CLI's answers to bad input: one clear line, non-zero exit, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plugin.paths import ROOT
from training.finetune_mlx_v3 import main as finetune
from training.jsonl import DataError, read_jsonl

V3 = str(ROOT / "training" / "lora_config_v3.yaml")


@pytest.mark.skipif(__import__("sys").platform == "darwin", reason="on a Mac the v3 config is meant to train")
def test_v3_preflight_then_needs_metal(capsys, tmp_path: Path) -> None:
    code = finetune(["--config", V3, "--data", str(_v3_data(tmp_path))])
    out = capsys.readouterr().out
    assert code == 3
    for line in (
        "✅ Train: 4,500 samples",
        "✅ Valid: 500 samples",
        "✅ Data format verified (Phi-3 format)",
        "   Base model: mlx-community/Phi-3-mini-4k-instruct-4bit",
        "   Batch size: 1",
        "   Learning rate: 5e-05",
        "   Steps per epoch: 4,500",
        "   Total iterations: 9,000 (2.00 epochs)",
        "   Seed guide on an M4 Pro: 0.4-0.5 it/s -> 5.0 h to 6.2 h",
        "⛔ mlx-community/Phi-3-mini-4k-instruct-4bit is a Metal job (Apple Silicon); this machine's MLX backend is cpu.",
    ):
        assert line in out.splitlines(), f"missing {line!r} in:\n{out}"


def _v3_data(tmp_path: Path) -> Path:
    from plugin.diet.chat import PHI3
    from training.dataset import write_splits

    write_splits(tmp_path / "v3", {"train": 4500, "valid": 500}, seed=42, template=PHI3)
    return tmp_path / "v3"


def _bad_jsonl(tmp_path: Path, train: str | bytes, valid: str = '{"text": "x"}\n') -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.jsonl").write_bytes(train if isinstance(train, bytes) else train.encode())
    (data / "valid.jsonl").write_text(valid)
    return data


@pytest.mark.parametrize(
    ("train", "message"),
    [
        ('{"text": "a"}\n{"text": \n', r"train\.jsonl:2: malformed JSON"),
        ('{"text": "a"}\n{"prompt": "b"}\n', r"train\.jsonl:2: missing key 'text' or 'messages'"),
        ("", r"train\.jsonl: empty split"),
        ('["a list"]\n', r"train\.jsonl:1: expected a JSON object"),
        (b'{"text": "a"}\n' * 120 + b'{"text": "caf\xe9"}\n', r"train\.jsonl:121: not UTF-8 \(byte 0xe9 at column 14\)"),
    ],
    ids=["malformed-line", "missing-key", "empty-split", "not-an-object", "not-utf8"],
)
def test_bad_jsonl_names_file_and_line(tmp_path: Path, train: str | bytes, message: str) -> None:
    data = _bad_jsonl(tmp_path, train)
    with pytest.raises(DataError, match=message):
        read_jsonl(data / "train.jsonl", ("text", "messages"))


def test_cli_reports_bad_data_in_one_line(tmp_path: Path, capsys) -> None:
    data = _bad_jsonl(tmp_path, '{"text": "a"}\n{oops}\n')
    assert finetune(["--config", V3, "--data", str(data)]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith("error: ") and line.endswith(
        "train.jsonl:2: malformed JSON (Expecting property name enclosed in double quotes, column 2)"
    )
    assert "at at" not in line


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [("itres: 10\n", "unknown key 'itres'"), ("batch_size: two\n", "batch_size must be int")],
)
def test_cli_rejects_bad_config(tmp_path: Path, capsys, yaml_text: str, message: str) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(yaml_text)
    assert finetune(["--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_cli_missing_data_dir(tmp_path: Path, capsys) -> None:
    assert finetune(["--config", V3, "--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: data folder not found" in capsys.readouterr().err


def test_resume_from_adapter_of_another_base_model(tmp_path: Path, capsys, tiny_config) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "adapter_config.json").write_text(json.dumps({"model": "org/another-model"}))
    (other / "0000010_adapters.safetensors").write_bytes(b"")
    code = finetune(
        ["--config", str(tiny_config()), "--force", "--resume-adapter-file", str(other / "0000010_adapters.safetensors")]
    )
    assert code == 2
    assert "was trained on org/another-model" in capsys.readouterr().err


@pytest.mark.parametrize(("val_batches", "evals"), [(2, 11), (0, 0)])
def test_estimate_counts_validations_only_when_on(val_batches: int, evals: int) -> None:
    import dataclasses

    from training import preflight
    from training.config import load_config

    cfg = dataclasses.replace(load_config(ROOT / "training" / "lora_config_cpu.yaml"), val_batches=val_batches)
    lines: list[str] = []
    preflight.print_estimate(cfg, preflight.WarmUp(2.0, 400.0, 1.5), 200, lines.append)
    assert f"Estimated time: 6.7 min for 200 iterations (+ {evals} validations)" in lines[1]


def test_config_model_path_that_does_not_exist(tmp_path: Path, capsys, tiny_config) -> None:
    config = tiny_config()
    text = config.read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text("\n".join(line for line in text.splitlines() if not line.startswith("model:")) + "\nmodel: /no/such/model\n")
    assert finetune(["--config", str(bad), "--force"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: model /no/such/model (the config's 'model' key): no such folder; "
        "give an MLX model folder, an HF id or embedded:smollm2-135m-instruct"
    )


def test_preflight_counts_records_longer_than_max_seq_length(tiny_config, capsys) -> None:
    assert finetune(["--config", str(tiny_config(max_seq_length=64)), "--force", "--preflight-only", "--warmup-steps", "0"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "longer than max_seq_length" in x]
    assert line.startswith("⚠️  ") and "train records are longer than max_seq_length=64 tokens (first: " in line
    assert "train.jsonl:1, " in line and "mlx-lm truncates them" in line


def test_empty_text_is_reported_as_empty(tmp_path: Path, capsys) -> None:
    good = '{"text": "<|system|>a<|end|><|user|>b<|end|><|assistant|>c<|end|>"}\n'
    data = _bad_jsonl(tmp_path, '{"text": "  "}\n' + good, valid=good)
    assert finetune(["--config", V3, "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "train.jsonl:1: 'text' is empty or not a string" in err and "train.jsonl:1: not in" not in err


def test_custom_data_is_counted_not_held_to_the_configs_counts(tmp_path: Path, tiny_config, capsys) -> None:
    """``--data DIR`` with another number of samples trains (issue 14: "1822 samples, config expects 400")."""
    from plugin.diet.chat import PHI3
    from training.dataset import write_splits

    write_splits(tmp_path / "mine", {"train": 30, "valid": 6}, seed=3, template=PHI3)
    config = tiny_config(epochs=6.0)  # the config's claim about its own 24 samples: 12 x 2 / 24 = 1 epoch, not 6
    argv = ["--config", str(config), "--force", "--preflight-only", "--warmup-steps", "0"]
    assert finetune([*argv, "--data", str(tmp_path / "mine")]) == 0
    out = capsys.readouterr().out
    assert "✅ Train: 30 samples" in out and "✅ Valid: 6 samples" in out
    assert "Total iterations: 12 (0.80 epochs)" in out and "config claims" not in out


def test_the_configs_own_data_is_held_to_its_counts(tmp_path: Path, tiny_config, capsys) -> None:
    from plugin.diet.chat import PHI3
    from training.dataset import write_splits

    write_splits(tmp_path / "own", {"train": 30, "valid": 6}, seed=3, template=PHI3)
    config = tiny_config(data=str(tmp_path / "own"))  # data_counts says 24 / 8
    assert finetune(["--config", str(config), "--force", "--preflight-only", "--warmup-steps", "0"]) == 2
    assert f"{tmp_path / 'own'}/train.jsonl: 30 samples, config expects 24" in capsys.readouterr().err
    # naming the config's own folder with --data is still the config's own data
    assert finetune(["--config", str(config), "--data", str(tmp_path / "own"), "--force", "--preflight-only"]) == 2
