"""Chat templates without a tokenizer: render prompts for a profile's model family.

Data synthesis must render records with the *target* model's template, even when
that model (Phi-3 on a Linux box) cannot be loaded.  ``ChatTemplate`` renders a
Jinja chat template the way ``transformers`` does and exposes the same
``apply_chat_template`` call, so the oracle's prompt function takes either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.diet.errors import InputError, MissingFileError

# Phi-3-mini-4k-instruct's template, as published with the model.
PHI3_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}"
    "{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}"
    "{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}"
    "{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}"
)
PHI3_MARKERS = ("<|system|>", "<|user|>", "<|assistant|>", "<|end|>")
CHATML_MARKERS = ("<|im_start|>system", "<|im_start|>user", "<|im_start|>assistant", "<|im_end|>")


@dataclass(frozen=True)
class ChatTemplate:
    template: str
    eos_token: str
    bos_token: str = ""

    @property
    def family(self) -> str:
        if "<|im_start|>" in self.template:
            return "ChatML"
        if "<|assistant|>" in self.template:
            return "Phi-3"
        return "custom"

    @property
    def markers(self) -> tuple[str, ...]:
        """Strings every rendered system+user+assistant record must contain."""
        return {"ChatML": CHATML_MARKERS, "Phi-3": PHI3_MARKERS}.get(self.family, ())

    def apply_chat_template(
        self, messages: list[dict[str, str]], tokenize: bool = False, add_generation_prompt: bool = False, **_: Any
    ) -> str:
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        if tokenize:
            raise InputError("ChatTemplate renders text only; use a real tokenizer to tokenize")
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        return env.from_string(self.template).render(
            messages=messages, add_generation_prompt=add_generation_prompt, eos_token=self.eos_token, bos_token=self.bos_token
        )


_CHATML_TURN = re.compile(r"<\|im_start\|>(\w+)\n(.*?)<\|im_end\|>", re.S)
_PHI3_TURN = re.compile(r"<\|(system|user|assistant)\|>\n(.*?)<\|end\|>", re.S)


def split_rendered(text: str, family: str) -> list[dict[str, str]]:
    """The messages of a rendered ChatML or Phi-3 conversation, in order."""
    pattern = {"ChatML": _CHATML_TURN, "Phi-3": _PHI3_TURN}.get(family)
    if pattern is None:
        raise InputError(f"cannot split a {family} conversation")
    return [{"role": m.group(1), "content": m.group(2)} for m in pattern.finditer(text)]


PHI3 = ChatTemplate(PHI3_CHAT_TEMPLATE, eos_token="<|endoftext|>", bos_token="<s>")


def from_model_dir(path: Path) -> ChatTemplate:
    """The template saved with a local model (tokenizer_config.json or chat_template.jinja)."""
    config_file = path / "tokenizer_config.json"
    if not config_file.is_file():
        raise MissingFileError(f"{config_file}: not found; cannot read the model's chat template")
    config = json.loads(config_file.read_text())
    template = config.get("chat_template")
    jinja = path / "chat_template.jinja"
    if not template and jinja.is_file():
        template = jinja.read_text()
    if not template:
        raise InputError(f"{path}: the model has no chat template")
    token = lambda key: config.get(key) if isinstance(config.get(key), str) else (config.get(key) or {}).get("content", "")  # noqa: E731
    return ChatTemplate(template, eos_token=token("eos_token"), bos_token=token("bos_token"))
