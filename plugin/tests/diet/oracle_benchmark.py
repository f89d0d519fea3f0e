"""Precision/recall of the dietary oracle vs the seed's naive substring check.

    python -m plugin.tests.diet.oracle_benchmark            # print the Markdown table
    python -m plugin.tests.diet.oracle_benchmark --write    # also update ORACLE_BENCHMARK.md

The naive baseline is the seed guide's check,
``any(item in output for item in forbidden)``, made as generous as possible:
``forbidden`` is every surface form (names, synonyms, plurals) of every
ingredient the oracle forbids for the case's diet (same strictness), and the
comparison is case-insensitive (``item in output.lower()``). The two checkers
therefore share one vocabulary; only the matching logic differs.

Scores on the hand-written cases (plugin/tests/diet/cases/oracle_cases.yaml):

* case level: a case is positive when it expects at least one violation; a
  checker predicts positive when it reports anything.
* span level: naive hits are all substring occurrences, overlapping ones
  merged; a predicted span is a true positive when it overlaps a not yet
  matched expected span (the oracle is additionally tested for exact spans).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plugin.atomic import write_text
from plugin.diet import find_violations, forbidden_ingredients, surface_forms

CASES_PATH = Path(__file__).with_name("cases") / "oracle_cases.yaml"
REPORT_PATH = Path(__file__).with_name("ORACLE_BENCHMARK.md")

Span = tuple[int, int]


@functools.cache
def load_cases() -> tuple[dict[str, Any], ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with CASES_PATH.open(encoding="utf-8") as fh:
        cases = yaml.load(fh, Loader=loader)
    for n, case in enumerate(cases, 1):
        case.setdefault("strict", False)
        case["id"] = f"{case['diet']}-{n:03d}-{case['name']}" + ("-strict" if case["strict"] else "")
    return tuple(cases)


def expected_violations(case: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """(term, ingredient, start, end) for a case's expect list."""
    text, out, pos = case["text"], [], 0
    for entry in case["expect"]:
        term, ingredient = entry[0], entry[1]
        if len(entry) > 2:  # explicit n-th occurrence
            idx = -1
            for _ in range(entry[2]):
                idx = text.index(term, idx + 1)
        else:
            idx = text.index(term, pos)
        out.append((term, ingredient, idx, idx + len(term)))
        pos = idx + len(term)
    return out


@functools.cache
def _naive_terms(diet: str, strict: bool) -> tuple[str, ...]:
    return tuple(sorted({f for name in forbidden_ingredients(diet, strict) for f in surface_forms(name)}))


def naive_spans(text: str, diet: str, strict: bool) -> list[Span]:
    """Every case-insensitive substring hit of a forbidden surface form, merged."""
    low = text.lower()
    hits = []
    for term in _naive_terms(diet, strict):
        i = low.find(term)
        while i >= 0:
            hits.append((i, i + len(term)))
            i = low.find(term, i + 1)
    hits.sort()
    merged: list[list[int]] = []
    for s, e in hits:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def oracle_spans(text: str, diet: str, strict: bool) -> list[Span]:
    return [(v.start, v.end) for v in find_violations(text, diet, strict=strict)]


@dataclass
class Score:
    case_tp: int = 0
    case_fp: int = 0
    case_fn: int = 0
    span_tp: int = 0
    span_fp: int = 0
    span_fn: int = 0

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def case_precision(self) -> float:
        return self.ratio(self.case_tp, self.case_tp + self.case_fp)

    @property
    def case_recall(self) -> float:
        return self.ratio(self.case_tp, self.case_tp + self.case_fn)

    @property
    def span_precision(self) -> float:
        return self.ratio(self.span_tp, self.span_tp + self.span_fp)

    @property
    def span_recall(self) -> float:
        return self.ratio(self.span_tp, self.span_tp + self.span_fn)

    def add(self, predicted: list[Span], expected: list[Span]) -> tuple[list[Span], list[Span]]:
        """Count one case (spans match when they overlap); returns its false-positive and missed spans."""
        if predicted and expected:
            self.case_tp += 1
        elif predicted:
            self.case_fp += 1
        elif expected:
            self.case_fn += 1
        unmatched = list(expected)
        false_positives = []
        for s, e in predicted:
            hit = next((x for x in unmatched if s < x[1] and x[0] < e), None)
            if hit is None:
                false_positives.append((s, e))
            else:
                unmatched.remove(hit)
        self.span_tp += len(predicted) - len(false_positives)
        self.span_fp += len(false_positives)
        self.span_fn += len(unmatched)
        return false_positives, unmatched


Checker = Callable[[str, str, bool], list[Span]]
CHECKERS: dict[str, Checker] = {"oracle (plugin.diet)": oracle_spans, "naive substring (seed)": naive_spans}


def evaluate() -> dict[str, dict[str, Score]]:
    """checker -> diet ("all" included) -> Score."""
    results: dict[str, dict[str, Score]] = {}
    for label, checker in CHECKERS.items():
        per_diet: dict[str, Score] = {"all": Score()}
        for case in load_cases():
            expected = [(s, e) for _, _, s, e in expected_violations(case)]
            predicted = checker(case["text"], case["diet"], case["strict"])
            for key in ("all", case["diet"]):
                per_diet.setdefault(key, Score()).add(predicted, expected)
        results[label] = per_diet
    return results


def markdown_table(results: dict[str, dict[str, Score]] | None = None) -> str:
    results = results or evaluate()
    n = len(load_cases())
    lines = [
        f"Oracle vs the seed's naive substring check on {n} hand-written cases (`python -m plugin.tests.diet.oracle_benchmark`).",
        "",
        "The cases were written together with the oracle (in-sample), so the oracle's "
        "scores show that it meets its specification, not its accuracy on unseen model output; "
        "the naive row shows what the seed's check gets wrong on the same traps "
        "(compounds, negations, qualifiers, hidden ingredients).",
        "",
        "| checker | case precision | case recall | span precision | span recall | span TP / FP / FN |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, per_diet in results.items():
        s = per_diet["all"]
        lines.append(
            f"| {label} | {s.case_precision:.3f} | {s.case_recall:.3f} | {s.span_precision:.3f} "
            f"| {s.span_recall:.3f} | {s.span_tp} / {s.span_fp} / {s.span_fn} |"
        )
    lines += ["", "Per diet (span precision / recall):", "", "| diet | " + " | ".join(results) + " |"]
    lines.append("|---|" + "---:|" * len(results))
    diets = [d for d in next(iter(results.values())) if d != "all"]
    for diet in diets:
        cells = [f"{r[diet].span_precision:.3f} / {r[diet].span_recall:.3f}" for r in results.values()]
        lines.append(f"| {diet} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    table = markdown_table()
    print(table, end="")
    if "--write" in argv:
        write_text(REPORT_PATH, "# Dietary oracle benchmark\n\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
