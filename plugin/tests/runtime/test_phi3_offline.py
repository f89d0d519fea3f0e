"""The Phi-3 code path, offline: a tiny random Phi-3 with the real chat template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plugin.runtime.tiny import PHI3_SPECIALS, build_tiny_phi3

SEED_SYSTEM = "You are a creative recipe generator with access to the user's pantry inventory."


@pytest.fixture(scope="module")
def tiny_phi3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_phi3(tmp_path_factory.mktemp("phi3"))


@pytest.fixture(scope="module")
def loaded(tiny_phi3: Path):
    from mlx_lm import load

    return load(str(tiny_phi3))


def test_prompt_renders_in_phi3_format(loaded) -> None:
    _, tok = loaded
    messages = [{"role": "system", "content": SEED_SYSTEM}, {"role": "user", "content": "I want a healthy vegetarian dinner"}]
    text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert text == f"<|system|>\n{SEED_SYSTEM}<|end|>\n<|user|>\nI want a healthy vegetarian dinner<|end|>\n<|assistant|>\n"


@pytest.mark.parametrize("token", PHI3_SPECIALS)
def test_phi3_special_tokens_are_single_ids(loaded, token: str) -> None:
    _, tok = loaded
    assert len(tok.encode(token, add_special_tokens=False)) == 1


def test_lora_conversion_save_load_and_generate(tiny_phi3: Path, loaded, tmp_path: Path) -> None:
    import mlx.core as mx
    from mlx.utils import tree_flatten
    from mlx_lm import generate, load
    from mlx_lm.tuner.utils import linear_to_lora_layers

    model, tok = loaded
    model.freeze()
    lora = {"rank": 8, "scale": 16.0, "dropout": 0.05, "keys": ["self_attn.qkv_proj", "self_attn.o_proj"]}
    linear_to_lora_layers(model, 2, lora)
    trainable = dict(tree_flatten(model.trainable_parameters()))
    assert trainable and all("lora_" in name for name in trainable)
    # Give the adapter a visible effect, then check it survives a save/load round trip.
    for name, value in trainable.items():
        trainable[name] = mx.random.normal(value.shape) * 0.5
    model.load_weights(list(trainable.items()), strict=False)
    model.eval()  # new LoRA layers start in training mode, with dropout on
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    mx.save_safetensors(str(adapter / "adapters.safetensors"), trainable)
    config = {"fine_tune_type": "lora", "num_layers": 2, "lora_parameters": lora}
    (adapter / "adapter_config.json").write_text(json.dumps(config))

    prompt = tok.apply_chat_template([{"role": "user", "content": "pasta"}], tokenize=False, add_generation_prompt=True)
    expected = generate(model, tok, prompt=prompt, max_tokens=12)
    reloaded, tok2 = load(str(tiny_phi3), adapter_path=str(adapter))
    assert generate(reloaded, tok2, prompt=prompt, max_tokens=12) == expected
    base, tok3 = load(str(tiny_phi3))
    assert generate(base, tok3, prompt=prompt, max_tokens=12) != expected, "adapter had no effect"
