"""Tiny randomly initialised models for plumbing tests (never for quality verdicts).

``build_tiny_phi3`` writes an MLX model folder for ``mlx_lm.models.phi3`` with a
small byte-level BPE tokenizer that carries Phi-3's chat template, so prompt
rendering, LoRA conversion, adapter save/load and generation are exercised on
the Phi-3 code path with no hub.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from plugin.atomic import write_text, write_with
from plugin.diet.chat import PHI3_CHAT_TEMPLATE
from plugin.runtime.blas import import_mlx

PHI3_SPECIALS = ["<|endoftext|>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
TRAINING_TEXT = [
    "Recipe: Tomato Basil Pasta",
    "Selected ingredients from your pantry:\n- pasta\n- tomato\n- olive oil",
    "Instructions:\n1. Boil pasta according to package directions\n2. Toss with tomato and serve",
    "You are a creative recipe generator with access to the user's pantry inventory.",
    "User dietary preference: vegetarian. Respect dietary restrictions - do NOT select meat/fish.",
]


def _tokenizer(vocab_size: int) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=PHI3_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(TRAINING_TEXT * 4, trainer=trainer)
    return tok


def phi3_config(vocab_size: int, hidden: int = 64, layers: int = 2, kv_heads: int = 4) -> dict[str, Any]:
    return {
        "model_type": "phi3",
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "intermediate_size": hidden * 2,
        "num_attention_heads": 4,
        "num_key_value_heads": kv_heads,  # below 4: grouped-query attention, as SmolLM2 (9 query, 3 key-value)
        "rms_norm_eps": 1e-5,
        "vocab_size": vocab_size,
        "max_position_embeddings": 4096,
        "original_max_position_embeddings": 4096,
        "eos_token_id": 4,  # <|end|>, as Phi-3 stops on it
        "tie_word_embeddings": False,
    }


def build_tiny_phi3(dest: Path, seed: int = 0, vocab_size: int = 512, kv_heads: int = 4) -> Path:
    """Write a random tiny Phi-3 model folder into ``dest`` and return it."""
    mx = import_mlx()
    from mlx.utils import tree_flatten
    from mlx_lm.models import phi3

    tok = _tokenizer(vocab_size)
    config = phi3_config(tok.get_vocab_size(), kv_heads=kv_heads)
    mx.random.seed(seed)
    model = phi3.Model(phi3.ModelArgs.from_dict(config))
    dest.mkdir(parents=True, exist_ok=True)
    weights = dict(tree_flatten(model.parameters()))
    write_with(dest / "model.safetensors", lambda tmp: mx.save_safetensors(str(tmp), weights))
    write_text(dest / "config.json", json.dumps(config, indent=2))
    write_with(dest / "tokenizer.json", lambda tmp: tok.save(str(tmp)))
    tok_config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": "<|endoftext|>",
        "eos_token": "<|end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": "<|endoftext|>",
        "chat_template": PHI3_CHAT_TEMPLATE,
    }
    write_text(dest / "tokenizer_config.json", json.dumps(tok_config, indent=2))
    write_text(dest / "chat_template.jinja", PHI3_CHAT_TEMPLATE)
    return dest
