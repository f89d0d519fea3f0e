"""The time-to-quality sweep: variants are config overrides, checked by the trainer's loader before anything runs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from plugin.paths import ROOT
from training.config import ConfigError, load_config
from training.sweep import Variant, main, read_sweep, variant_config

CPU = ROOT / "training" / "lora_config_cpu.yaml"


def sweep_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    return path


def test_a_variant_is_the_base_with_its_overrides(tmp_path: Path) -> None:
    schedule = {"name": "cosine_decay", "arguments": [1e-3, 224, 1e-5], "warmup": 16}
    variant = Variant("v", {"lora_parameters": {"rank": 4}, "lr_schedule": schedule, "mask_prompt": True}, (80, 240))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the schedule's start becomes learning_rate: no disagreement warning
        cfg = load_config(variant_config(CPU, variant, tmp_path))
    base = load_config(CPU)
    assert cfg.lora_parameters.rank == 4 and cfg.lora_parameters.scale == base.lora_parameters.scale  # merged, not replaced
    assert cfg.iters == 240 and cfg.save_every == 80, "trains to the last scored iteration, saving at each one"
    assert cfg.learning_rate == 1e-3 and cfg.mask_prompt
    assert cfg.adapter_dir == tmp_path / "adapter" and cfg.epochs is None


def test_a_bad_override_is_refused_before_training(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config\.yaml: lora_parameters: unknown key 'rnk'"):
        variant_config(CPU, Variant("v", {"lora_parameters": {"rnk": 4}}, (10,)), tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("variants: {a: {score_at: [10]}}\n", "needs `base`"),
        (f"base: {CPU}\nvariants: {{}}\n", "non-empty `variants`"),
        (f"base: {CPU}\nvariants: {{a: {{score_at: 10}}}}\n", r"variants\.a\.score_at must be a list of positive"),
        (f"base: {CPU}\nvariants: {{a: {{score_at: [0]}}}}\n", r"variants\.a\.score_at must be a list of positive"),
    ],
)
def test_a_bad_sweep_file_is_one_error_naming_it(tmp_path: Path, text: str, message: str, capsys) -> None:
    path = sweep_file(tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        read_sweep(path)
    assert main([str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists(), "nothing is written for a bad sweep file"


def test_the_shipped_sweeps_are_valid(tmp_path: Path) -> None:
    for path in sorted((ROOT / "training" / "sweeps").glob("*.yaml")):
        base, variants = read_sweep(path)
        for variant in variants:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                variant_config(base, variant, tmp_path / path.stem / variant.name)
