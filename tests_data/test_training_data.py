"""The fine-tuning data: counts, format, lengths, oracle verdicts, duplicates, leakage, balance.

Every failure names the offending ``file:line``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from plugin.diet import DIET_CHOICES, NO_DIET, Scenario, find_violations
from plugin.diet.chat import ChatTemplate, split_rendered
from plugin.diet.prompts import parse_system_prompt
from plugin.diet.scoring import judge
from training.jsonl import SPLITS, Record

MAX_LISTED = 10


@dataclass(frozen=True)
class Example:
    where: str
    scenario: Scenario
    answer: str


def to_example(record: Record, template: ChatTemplate) -> Example:
    messages = record.data.get("messages") or split_rendered(record.data["text"], template.family)
    roles = [m["role"] for m in messages]
    assert roles == ["system", "user", "assistant"], f"{record.where}: expected system, user, assistant turns, got {roles}"
    pantry, diet = parse_system_prompt(messages[0]["content"])
    return Example(record.where, Scenario(diet, tuple(pantry), messages[1]["content"]), messages[2]["content"])


def listing(problems: list[str]) -> str:
    more = f"\n... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    return "\n".join(problems[:MAX_LISTED]) + more


@pytest.fixture(scope="module")
def examples(data_splits, data_template) -> dict[str, list[Example]]:
    return {split: [to_example(r, data_template) for r in records] for split, records in data_splits.items()}


@pytest.mark.parametrize("split", SPLITS)
def test_split_has_the_profiles_count(split: str, data_splits, data_config) -> None:
    expected = data_config.data_counts[split]
    assert len(data_splits[split]) == expected, (
        f"{data_config.data_dir}/{split}.jsonl: {len(data_splits[split])} records, expected {expected}"
    )


@pytest.mark.parametrize("split", SPLITS)
def test_records_carry_the_models_chat_markers(split: str, data_splits, data_template) -> None:
    problems = []
    for record in data_splits[split]:
        text = record.data.get("text")
        if text is None:
            continue
        missing = [m for m in data_template.markers if m not in text]
        if missing:
            problems.append(f"{record.where}: missing {data_template.family} markers {missing}")
    assert not problems, listing(problems)


@pytest.mark.model
@pytest.mark.parametrize("split", SPLITS)
def test_token_lengths_fit_max_seq_length(split: str, data_splits, data_config, data_tokenizer) -> None:
    lengths = [(len(data_tokenizer.encode(r.data["text"])), r.where) for r in data_splits[split] if "text" in r.data]
    longest, where = max(lengths)
    too_long = [f"{w}: {n} tokens" for n, w in lengths if n > data_config.max_seq_length]
    assert not too_long, f"max_seq_length={data_config.max_seq_length}; longest {longest} at {where}\n" + listing(too_long)


@pytest.mark.parametrize("split", SPLITS)
def test_answers_are_diet_compliant_and_grounded(split: str, examples) -> None:
    problems = []
    for ex in examples[split]:
        verdict = judge(ex.answer, ex.scenario)
        diet = ex.scenario.diet
        strict = [] if diet == NO_DIET else find_violations(ex.answer, diet, strict=True)
        if not verdict.passed or strict:
            problems.append(f"{ex.where}: {verdict.explain()}" + (f"; strict: {[v.term for v in strict]}" if strict else ""))
    assert not problems, listing(problems)


def test_no_duplicate_records(data_splits) -> None:
    seen: dict[str, str] = {}
    dupes = []
    for split in SPLITS:
        for record in data_splits[split]:
            key = repr(sorted(record.data.items()))
            if key in seen:
                dupes.append(f"{record.where} repeats {seen[key]}")
            seen.setdefault(key, record.where)
    assert not dupes, listing(dupes)


def test_no_train_valid_leakage(examples) -> None:
    train = {(frozenset(e.scenario.pantry), e.scenario.request): e.where for e in examples["train"]}
    leaks = [
        f"{e.where} has the pantry and request of {train[key]}"
        for e in examples["valid"]
        if (key := (frozenset(e.scenario.pantry), e.scenario.request)) in train
    ]
    assert not leaks, listing(leaks)


@pytest.mark.parametrize("split", SPLITS)
def test_diets_are_balanced(split: str, examples) -> None:
    counts = Counter(e.scenario.diet for e in examples[split])
    assert set(counts) == set(DIET_CHOICES), f"{split}: diets present {sorted(counts)}"
    spread = max(counts.values()) - min(counts.values())
    assert spread <= 1, f"{split}: diet counts differ by {spread}: {dict(counts)}"
