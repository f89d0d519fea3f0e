"""The generation cache: keys cover every input, writes are atomic, off means off."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.runtime.gen_cache import GenCache, ModelIdentity, folder_digest
from plugin.runtime.generation import RecipeEngine, Sampling, prompt_seed

IDENTITY = ModelIdentity("base", "adapter", "tok", "tmpl", "0.1", "0.2")


def test_key_changes_with_every_input() -> None:
    cache = GenCache(None)
    base = cache.key(IDENTITY.digest(), "p", {"temperature": 0.0, "max_tokens": 10})
    others = [
        cache.key(
            ModelIdentity("base2", "adapter", "tok", "tmpl", "0.1", "0.2").digest(), "p", {"temperature": 0.0, "max_tokens": 10}
        ),
        cache.key(
            ModelIdentity("base", "adapter2", "tok", "tmpl", "0.1", "0.2").digest(), "p", {"temperature": 0.0, "max_tokens": 10}
        ),
        cache.key(
            ModelIdentity("base", "adapter", "tok", "tmpl2", "0.1", "0.2").digest(), "p", {"temperature": 0.0, "max_tokens": 10}
        ),
        cache.key(
            ModelIdentity("base", "adapter", "tok", "tmpl", "0.1", "0.3").digest(), "p", {"temperature": 0.0, "max_tokens": 10}
        ),
        cache.key(IDENTITY.digest(), "p2", {"temperature": 0.0, "max_tokens": 10}),
        cache.key(IDENTITY.digest(), "p", {"temperature": 0.7, "max_tokens": 10}),
        cache.key(IDENTITY.digest(), "p", {"temperature": 0.0, "max_tokens": 11}),
    ]
    assert base not in others and len(set(others)) == len(others)


def test_round_trip_and_stats(tmp_path: Path) -> None:
    cache = GenCache(tmp_path)
    assert cache.get("ab12") is None
    cache.put("ab12", "prompt", "output")
    assert cache.get("ab12") == "output"
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)
    assert not [p for p in tmp_path.rglob(".*")], "temporary files left behind"


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = GenCache(tmp_path)
    cache.put("cd34", "prompt", "output")
    next(tmp_path.rglob("cd34.json")).write_text("{torn")
    assert cache.get("cd34") is None


def test_off_never_stores(tmp_path: Path) -> None:
    cache = GenCache(None)
    cache.put("ef56", "p", "o")
    assert cache.get("ef56") is None and cache.stats.misses == 1


def test_folder_digest_tracks_content(tmp_path: Path) -> None:
    (tmp_path / "a.safetensors").write_bytes(b"one")
    first = folder_digest(tmp_path, ("*.safetensors",))
    assert folder_digest(tmp_path, ("*.safetensors",)) == first  # memoised
    (tmp_path / "a.safetensors").write_bytes(b"two!")
    assert folder_digest(tmp_path, ("*.safetensors",)) != first


def test_prompt_seed_is_stable() -> None:
    assert prompt_seed(["a", "b"]) == prompt_seed(["a", "b"]) != prompt_seed(["b", "a"])


class FakeTokenizer:
    def encode(self, text: str, add_special_tokens: bool = False) -> list[int]:
        return [ord(c) for c in text]


def test_engine_generates_only_misses_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_batch(model, tokenizer, prompts, sampling, batch_size, stats=None):
        calls.append(list(prompts))
        return [p.upper() for p in prompts]

    monkeypatch.setattr("plugin.runtime.generation.generate_batch", fake_batch)
    engine = RecipeEngine(None, FakeTokenizer(), "id", GenCache(tmp_path), batch_size=4)
    assert engine.generate(["a", "b", "a"], Sampling()) == ["A", "B", "A"]
    assert engine.generate(["b", "c"], Sampling()) == ["B", "C"]
    assert calls == [["a", "b"], ["c"]]


@pytest.mark.parametrize("entry", ["[]", '{"output": null}', '{"prompt": "p"}', '"text"', "{torn"])
def test_entries_of_the_wrong_shape_are_misses_and_get_repaired(tmp_path: Path, entry: str) -> None:
    cache = GenCache(tmp_path)
    key = cache.key("model", "prompt", {"temperature": 0.0})
    path = tmp_path / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True)
    path.write_text(entry)
    assert cache.get(key) is None and cache.stats.misses == 1
    cache.put(key, "prompt", "a recipe")
    assert cache.get(key) == "a recipe" and cache.stats.hits == 1
