"""On-disk cache of generations, keyed by everything that can change an output.

The key hashes the base weights, the adapter weights, the tokenizer and chat
template, the prompt, the sampling parameters, ``max_tokens`` and the mlx and
mlx-lm versions.  Entries are written to a temporary file and renamed, so
concurrent pytest-xdist workers never see a torn entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from plugin.atomic import write_text as atomic_write
from plugin.runtime.adapter_folder import WEIGHT_FILES
from plugin.runtime.backend import package_version

DIGEST_MEMO = ".recipe-digest.json"


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def folder_digest(folder: Path, patterns: tuple[str, ...]) -> str:
    """Digest of the matching files, memoised beside them by size and mtime (weights are large)."""
    files = sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()})
    stamp = [[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in files]
    memo = folder / DIGEST_MEMO
    try:
        saved = json.loads(memo.read_text())
        if saved.get(str(patterns)) and saved[str(patterns)]["stamp"] == stamp:
            return str(saved[str(patterns)]["digest"])
    except (OSError, ValueError):
        saved = {}
    digest = hashlib.sha256("".join(file_digest(p) for p in files).encode()).hexdigest()
    try:
        saved[str(patterns)] = {"stamp": stamp, "digest": digest}
        atomic_write(memo, json.dumps(saved))
    except OSError:
        pass  # a read-only model folder only costs a re-hash next time
    return digest


@dataclass(frozen=True)
class ModelIdentity:
    base: str
    adapter: str
    tokenizer: str
    chat_template: str
    mlx: str
    mlx_lm: str

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


def identify(base_dir: Path, adapter_dir: Path | None, chat_template: str) -> ModelIdentity:
    return ModelIdentity(
        base=folder_digest(base_dir, ("*.safetensors",)),
        adapter=folder_digest(adapter_dir, WEIGHT_FILES) if adapter_dir else "none",
        tokenizer=folder_digest(base_dir, ("tokenizer.json", "tokenizer_config.json", "*.model")),
        chat_template=hashlib.sha256(chat_template.encode()).hexdigest(),
        mlx=package_version("mlx"),
        mlx_lm=package_version("mlx-lm"),
    )


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0


class GenCache:
    def __init__(self, root: Path | None) -> None:
        self.root = root  # None: caching off
        self.stats = CacheStats()

    def key(self, identity: str, prompt: str, sampling: dict[str, Any]) -> str:
        payload = json.dumps({"model": identity, "prompt": prompt, "sampling": sampling}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        if self.root is None:
            self.stats.misses += 1
            return None
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entry = None
        text = entry.get("output") if isinstance(entry, dict) else None
        if not isinstance(text, str):  # torn, foreign or wrong-shape entries are misses; put() repairs them
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return text

    def put(self, key: str, prompt: str, output: str) -> None:
        if self.root is not None:
            atomic_write(self._path(key), json.dumps({"prompt": prompt, "output": output}))
