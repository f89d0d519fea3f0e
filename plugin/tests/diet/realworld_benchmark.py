"""The oracle on real-world-style text it was not written with: ``python -m plugin.tests.diet.realworld_benchmark``.

Cases: ``cases/realworld/{dev,heldout}.yaml``, written by a contributor who did not see the oracle
(see that folder's README). Tuning looks at ``dev`` only; ``heldout`` is scored for the report.
Three checkers: this oracle, the oracle as it was before the Open Food Facts vocabulary
(commit ``BASELINE_REV``, run from a git export in a subprocess), and the seed's substring check.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plugin.diet import find_violations
from plugin.paths import ROOT
from plugin.tests.diet import oracle_benchmark
from plugin.tests.diet.oracle_benchmark import naive_spans

CASES_DIR = Path(__file__).with_name("cases") / "realworld"
REPORT_PATH = Path(__file__).with_name("REALWORLD_BENCHMARK.md")
REPORT_HEAD = """# The oracle on real-world-style text

28,498 cases (ingredient lines and whole recipes) written for this project by contributors who did not see
the oracle's code or vocabulary (`cases/realworld/README.md`: licence CC0-1.0, the policy used, the label
format). The oracle was tuned on `dev`; each held-out set was scored once, after all tuning before it, and
then used for the next round of tuning (round 51 with the false alarms of all sixty-three sets before it in view), so
only the two newest sets' tables (heldout63 and heldout64) are held out; the others show the once-scored figures here:
`heldout` (scored once: F1 0.943, span recall 0.923, 6.9% false alarms on compliant recipes),
`heldout2` (F1 0.937, span recall 0.943, 15.4%), `heldout3` (F1 0.959, span recall 0.959, 8.7%),
`heldout4` (482 cases, F1 0.945, span recall 0.914, 12.6%; tuned on in round 5: 0.986, 0.988, 2.6%),
`heldout5` (456 cases, scored once after round 5: F1 0.936, span recall 0.943, 13.4%; tuned on in round 6:
0.998, 0.994, 0.0%), `heldout6` (461 cases, scored once after round 6: F1 0.965, span recall 0.914, 5.2%
(8/153); tuned on in round 7: 0.991, 0.996, 2.6%), `heldout7` (444 cases, scored once after round 7: F1 0.944,
span recall 0.941, 11.4% (17/149); tuned on in round 8: 0.993, 0.985, 1.3% (2/149)), `heldout8` (448 cases,
scored once after round 8: F1 0.934, span recall 0.937, 10.5% (13/124); tuned on in round 9: 0.987, 0.987, 1.6%
(2/124)), `heldout9` (432 cases, scored once after round 9: F1 0.957, span recall 0.922, 8.5% (11/129);
tuned on in round 10: 0.994, 0.972, 0.0% (0/129)), `heldout10` (479 cases, scored once after round 10: F1 0.956,
span recall 0.939, 16.7% (23/138); tuned on in round 11: 0.993, 0.985, 1.4% (2/138)), `heldout11` (436 cases,
scored once after round 11: F1 0.968, span recall 0.986, 8.4% (11/131); tuned on in round 12: 1.000, 1.000, 0.0%),
`heldout12` (447 cases, scored once after round 12: F1 0.992, span recall 0.968, 2.8% (4/143); tuned on in
round 13: 0.995, 0.996, 1.4%), `heldout13` (435 cases, scored once after round 13: F1 0.986, span recall 0.990, 3.8%
(6/156); tuned on in round 14: 1.000, 0.996, 0.0%), `heldout14` (438 cases, scored once after round 14 and the
hardening that followed a review: F1 0.985, span recall 0.989, 4.8% (7/145); tuned on in round 15, vocabulary for
its misses only: 0.987, 0.997, 4.8%), `heldout15` (441 cases, words the guide does not list, scored once after
round 15: F1 0.949, span recall 0.943, 13.8% (21/152)), `heldout16` (441 cases from cuisines the earlier sets
used less, scored once after round 15: F1 0.954, span recall 0.916, 11.2% (17/152)), both tuned on in round 16
(1.000, 0.996, 0.0% and 1.000, 0.992, 0.0%), and `heldout17` (445 cases, scored once after round 16 and its review:
F1 0.933, span recall 0.952, 18.9% (27/143); tuned on in round 17: 0.969, 0.952, 7.7% (11/143), and in round 18,
vocabulary only: 0.973, 0.990, 8.4% (a bought "gravy" now needs its makings in the text)), and `heldout18` (441 cases
as real recipe sources write them, by two writers in parallel; scored once after the headnote-story rule and its
review: F1 0.979, span recall 0.990, 5.9% (9/152); 0.974 and 7.9% (12/152) without that rule; tuned on in round 19:
0.990, 0.997, 2.6% (4/152)), and `heldout19` (441 cases, the same brief, scored once after round 19 and its review:
F1 0.993, span recall 0.989, 2.7% (4/148); every diet's F1 0.975-1.000 and span recall 0.977-1.000; tuned on in
round 20: 0.996, 0.990, 1.4% (2/148)), and `heldout20` (441 cases, the same brief, scored once after round 20 and its
review: F1 0.993, span recall 0.993, 2.8% (4/144); every diet's F1 0.987-1.000 and span recall 0.974 (vegetarian) to
1.000; tuned on in round 21: 0.995, 0.998, 2.1% (3/144)), and `heldout21` (442 cases, the same brief, scored once
after round 21 and its review: F1 0.991, span recall 0.999, 2.6% (4/154; 6/154 without the headnote rule); every
diet's F1 0.987-1.000 and span recall 0.990-1.000: the first set to meet the issue's bar), and `heldout22` (442 cases,
the same brief, scored once after round 21 with no tuning since: F1 0.989, span recall 0.987, 2.7% (4/149); vegan case
F1 0.959, gluten-free span recall 0.962 and vegan 0.978 miss the bar; five labels corrected after that score (the cases
README says which): F1 0.989, span recall 0.989; tuned on in round 22: 0.998, 0.997, 0.7% (1/149)), and `heldout23`
(441 cases, the same brief, freer with foreign and regional names, scored once after round 22 and its review: F1 0.977,
span recall 0.975, 7.5% (11/146); 8.9% without the headnote rule; gluten-free, halal, vegan and vegetarian under the
bar; tuned on in round 23: 0.995, 0.989, 2.1% (3/146)), and `heldout24` (441 cases, the same brief, scored once after
round 23 and its review: F1 0.987, span recall 0.981, 4.8% (7/145); 7.6% without the headnote rule; gluten-free
(span recall 0.972), nut-free (0.966) and vegan (F1 0.965, span recall 0.975) under the bar; tuned on in round 24:
0.995, 0.987, 2.1% (3/145)), and `heldout25` (441 cases, the same brief, scored once after round 24 and its review:
F1 0.964, span recall 0.972, 11.6% (17/146); 14.4% without the headnote rule; every diet but pescatarian under the bar;
tuned on in round 25: 0.973, 0.982, 8.9% (13/146)), and `heldout26` (441 cases, the same brief, scored once after
round 25 and its review: F1 0.982, span recall 0.985, 6.5% (9/139); 7.2% without the headnote rule; gluten-free,
pescatarian and vegan span recall and vegetarian F1 under the bar; one label corrected after that score (0.982, 0.986);
tuned on in round 26: 0.994, 0.995, 2.2% (3/139)), and `heldout27` (441 cases, the same brief, scored once after round
26 and its review: F1 0.986, span recall 0.983, 4.1% (6/148); 5.4% without the headnote rule; gluten-free, nut-free and
vegetarian span recall and vegan F1 under the bar; tuned on in round 27: 0.993, 0.994, 2.7% (4/148)), and `heldout28`
(441 cases, the same brief, scored once after round 27 and its review: F1 0.981, span recall 0.964, 5.4% (8/147); 6.8%
without the headnote rule; every diet but nut-free under the bar; tuned on in round 28: 0.988, 0.987, 3.4% (5/147)),
and `heldout29` (441 cases, the same brief, scored once after round 28 and its review: F1 0.978, span recall 0.971,
7.4% (11/148); 11.5% without the headnote rule; gluten-free, halal and vegan under the bar; tuned on in round 29:
0.980, 0.990, 6.8% (10/148)), and `heldout30` (441 cases, the same brief, scored once after round 29 and its review:
F1 0.989, span recall 0.991, 3.4% (5/145); 6.9% without the headnote rule; nut-free span recall (0.979) and the false
alarms miss the bar; two Torrone titles in heldout12 and heldout19 relabelled after its decision 361; tuned on in
round 30: 0.998, 0.999, 0.7% (1/145)), and `heldout31` (441 cases, the same brief, scored once after round 30 and its
review: F1 0.982, span recall 0.993, 5.6% (8/143); the same without the headnote rule; every diet's span recall meets the
bar, gluten-free (F1 0.960) and vegetarian (F1 0.955) and the false alarms miss it; one label corrected after that
score (0.982, 0.993); tuned on in round 31: 0.988, 0.996, 4.2% (6/143)), and `heldout32` (441 cases, the same brief,
scored once after round 31 and its review: F1 0.986, span recall 0.977, 3.4% (5/148); 5.4% without the headnote rule;
gluten-free (span recall 0.972), halal (0.965) and vegan (0.951) and the false alarms miss the bar; tuned on in round 32:
0.996, 0.994, 1.4% (2/148)), and `heldout33` (441 cases, the same brief, scored once after round 32 and its review:
F1 0.993, span recall 0.987, 2.8% (4/145); 6.2% without the headnote rule; every diet's F1 and every diet's span recall
but vegetarian's (0.961) meet the bar, and so do the false alarms; tuned on in round 33: 0.996, 0.998, 1.4% (2/145)),
and `heldout34` (441 cases, the same brief, scored once after round 33 and its review, never tuned on: F1 0.982, span
recall 0.982, 4.1% (6/148); the same without the headnote rule; pescatarian (span recall 0.958), vegan (0.978),
vegetarian (F1 0.965, span recall 0.966) and the false alarms miss the bar; tuned on in rounds 34 and 35), `heldout35` and
`heldout36` (441 cases each, scored once after round 35 and its review: F1 0.977 and 0.984, span recall 0.987 and
0.980, 8.8% (13/148) and 4.6% (7/151); tuned on in round 36), `heldout37` and `heldout38` (scored once after round 36 and
its review: F1 0.980 and 0.961, span recall 0.983 and 0.972, 6.7% (10/149) and 12.8% (19/148); tuned on in round 37),
and `heldout39` and `heldout40` (scored once after round 37 and its review: F1 0.977 and 0.969, span recall 0.973 and
0.969, 8.7% (13/149) and 8.8% (13/148); tuned on in round 38: 0.986 and 0.985, 0.985 and 0.982, 5.4% (8/149) and 3.4%
(5/148)), and `heldout41` and `heldout42` (441 cases each, from a brief rewritten in the session of round 38; scored once
after round 38 and its review: F1 0.991 and 0.989, span recall 0.995 and 0.997, 1.4% (2/148) and 3.4%
(5/148); every diet's F1 0.975-1.000; span recall 0.983-1.000 but heldout41's vegetarian (0.967); pooled F1 0.990, span
recall 0.996, 2.4% (7/296); tuned on in round 39, whose review took out the rules that had cleared their false alarms: unchanged),
and `heldout43` and `heldout44` (441 cases each, the same brief, scored once after round 39: F1 0.975 and 0.980, span
recall 0.994 and 0.981, 8.8% (13/148) and 7.4% (11/149); tuned on in round 40: 0.995 and 0.991, 0.994 and 0.989, 1.4%
(2/148) and 3.4% (5/149)), and `heldout45` and `heldout46` (441 cases each, from a brief rewritten in the session of round
40 that asks for the stories, comparisons, substitutions and back-references real headnotes have; scored once after round
40 and its review, never tuned on: F1 0.968 and 0.966, span recall 0.981 and 0.979, 12.2% (18/148) each; pooled F1 0.967,
span recall 0.980, 12.2% (36/296); a round 41 tuned on them (to 8 and 9) was measured and not taken, so they stay held
out: on heldout47 and heldout48, not tuned on, it removed 2 of their 43 false alarms), and
`heldout47` and `heldout48` (441 cases each, the same brief, scored once on the same oracle, never tuned on: F1 0.955 and
0.963, span recall 0.978 and 0.986, 14.9% (22/148) and 14.2% (21/148)); the four sets on one oracle: 79/592 false
alarms (13.3%); tuned on in round 42, whose part tuned on them was taken out after its review (the part kept,
developed on heldout44 and older only, changed none of them), and `heldout49` and `heldout50` (441 cases each, the same
brief, scored once after round 42, never tuned on: F1 0.982 and 0.987, span recall 0.993 and 0.997, 6.8% (10/148) and
4.1% (6/148); on round 40's oracle 12 and 6; on round 42 as shipped, without the part its review took out, 11 and 6;
tuned on in round 43), and `heldout51` and `heldout52` (441 cases each, the same brief, written while round 43 was being
developed, scored once on round 42's oracle and once on round 43 as shipped, never tuned on: both give F1 0.980 and 0.993,
span recall 0.996 and 0.994, 6.1% (9/148) and 1.4% (2/148); tuned on in round 44), and `heldout53` and `heldout54` (441
cases each, the same brief, written while round 44 was developed and scored once after it, never tuned on: F1 0.993 and
0.973, span recall 0.995 and 0.995, 2.7% (4/148) and 9.5% (14/148); tuned on in round 45), and `heldout55` and
`heldout56` (441 cases each, the same brief, written while round 45 was developed and scored once after it, never tuned
on: F1 0.987 and 0.978, span recall 0.999 and 0.986, 4.1% (6/148) and 7.4% (11/148); tuned on in round 46: 0.991 and
0.980, 0.999 and 0.986, 2.7% (4/148) and 6.8% (10/148)), and `heldout57` and `heldout58` (441 cases each, from a brief
rewritten in the session of round 46 that asks directly for compliant recipes naming foods that are not in the dish;
written while round 46 was developed and scored once after it, never tuned on: F1 0.966 and 0.966, span recall 0.985
and 0.992, 12.8% (19/148) and 12.2% (18/148); tuned on in round 47: 0.968 each, 0.985 and 0.992, 12.2% (18/148) and
11.5% (17/148)), and `heldout59` and `heldout60` (441 cases each, the same brief, written while round 47 was developed
and scored once after it, never tuned on: F1 0.948 and 0.951, span recall 0.979 and 0.993, 18.2% (27/148) each; tuned
on in round 49, whose one reading taken changed no verdict on them), and `heldout61` and `heldout62` (441 cases each,
the same brief, written while round 49 was developed and scored once after it: F1 0.963 and 0.995, span recall 0.998
and 0.997, 13.5% (20/148) and 1.4% (2/148); tuned on in round 51: F1 0.966 and 0.995, 12.2% (18/148) and 1.4%), and
`heldout63` and `heldout64` (441 cases each, the same brief, written while round 51 was developed and scored once after
it, never tuned on: F1 0.938 and 0.960, span recall 0.996 and 0.991, 23.6% (35/148) and 15.5% (23/148)); their tables
below are the held-out ones.
Across the sixty-four held-out sets the oracle scored F1 0.93-0.99 and span recall 0.91-1.00 on text it had not seen,
with 1-24% false alarms on compliant recipes.
Regenerate with `python -m plugin.tests.diet.realworld_benchmark --write`.

"""
SPLITS = (
    "dev",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
    "heldout11",
    "heldout12",
    "heldout13",
    "heldout14",
    "heldout15",
    "heldout16",
    "heldout17",
    "heldout18",
    "heldout19",
    "heldout20",
    "heldout21",
    "heldout22",
    "heldout23",
    "heldout24",
    "heldout25",
    "heldout26",
    "heldout27",
    "heldout28",
    "heldout29",
    "heldout30",
    "heldout31",
    "heldout32",
    "heldout33",
    "heldout34",
    "heldout35",
    "heldout36",
    "heldout37",
    "heldout38",
    "heldout39",
    "heldout40",
    "heldout41",
    "heldout42",
    "heldout43",
    "heldout44",
    "heldout45",
    "heldout46",
    "heldout47",
    "heldout48",
    "heldout49",
    "heldout50",
    "heldout51",
    "heldout52",
    "heldout53",
    "heldout54",
    "heldout55",
    "heldout56",
    "heldout57",
    "heldout58",
    "heldout59",
    "heldout60",
    "heldout61",
    "heldout62",
    "heldout63",
    "heldout64",
)
BASELINE_REV = "1ad8a52"  # the oracle before issue 10 (after the restructure, same verdicts as before it)
Span = tuple[int, int]


@functools.cache
def load_cases(split: str) -> tuple[dict[str, Any], ...]:
    with (CASES_DIR / f"{split}.yaml").open(encoding="utf-8") as fh:
        cases = yaml.safe_load(fh)
    for case in cases:
        case.setdefault("strict", False)
    return tuple(cases)


def _occurrences(text: str, term: str) -> list[Span]:
    pattern = re.compile(r"(?<![^\W_])" + re.escape(term) + r"(?![^\W_])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def expected_spans(case: dict[str, Any]) -> list[Span]:
    spans: set[Span] = set()
    for entry in case["violations"]:
        if isinstance(entry, list):
            spans.add(_occurrences(case["text"], entry[0])[entry[1] - 1])
        else:
            spans.update(_occurrences(case["text"], entry))
    return sorted(spans)


@dataclass
class Score(oracle_benchmark.Score):
    """The hand-written benchmark's score plus true negatives (for false alarms) and the misses, named."""

    case_tn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def case_f1(self) -> float:
        p, r = self.case_precision, self.case_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.ratio(self.case_fp, self.case_fp + self.case_tn) if self.case_fp + self.case_tn else 0.0

    def add_case(self, case: dict[str, Any], predicted: list[Span], expected: list[Span]) -> None:
        self.case_tn += not predicted and not expected
        false_positives, missed = self.add(predicted, expected)
        self.misses += [f"{case['id']} FP {case['text'][s:e]!r}" for s, e in false_positives]
        self.misses += [f"{case['id']} FN {case['text'][s:e]!r}" for s, e in missed]


Checker = Callable[[list[dict[str, Any]]], list[list[Span]]]


def oracle_now(cases: list[dict[str, Any]]) -> list[list[Span]]:
    return [[(v.start, v.end) for v in find_violations(c["text"], c["diet"], strict=c["strict"])] for c in cases]


def seed_substring(cases: list[dict[str, Any]]) -> list[list[Span]]:
    return [naive_spans(c["text"], c["diet"], c["strict"]) for c in cases]


_BASELINE_SCRIPT = (
    "import json, sys\n"
    "from plugin.diet import find_violations\n"
    "cases = json.load(sys.stdin)\n"
    "print(json.dumps([[[v.start, v.end] for v in find_violations(c['text'], c['diet'], strict=c['strict'])] for c in cases]))\n"
)


BASELINE_PATH = CASES_DIR / "baseline_predictions.json"


def oracle_before(cases: list[dict[str, Any]]) -> list[list[Span]]:
    """The oracle at ``BASELINE_REV``: its predictions are stored (tests need no git history);
    ``--refresh-baseline`` recomputes them from a ``git archive`` of that commit."""
    stored = json.loads(BASELINE_PATH.read_text(encoding="utf-8"))
    return [[(s, e) for s, e in stored[c["id"]]] for c in cases]


def _oracle_before_from_git(cases: list[dict[str, Any]]) -> list[list[Span]]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", BASELINE_REV, "plugin"], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        out = subprocess.run(
            [sys.executable, "-c", _BASELINE_SCRIPT],
            cwd=tmp,
            input=json.dumps(cases),
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"},
        )
    return [[(s, e) for s, e in spans] for spans in json.loads(out.stdout)]


CHECKERS: dict[str, Checker] = {
    "oracle (this)": oracle_now,
    f"oracle before issue 10 ({BASELINE_REV})": oracle_before,
    "seed substring": seed_substring,
}


def evaluate(split: str, checkers: Iterable[str] = tuple(CHECKERS)) -> dict[str, dict[str, Score]]:
    """checker -> group ("all", "diet:<d>", "category:<c>", "compliant recipes") -> Score."""
    cases = list(load_cases(split))
    expected_all = [expected_spans(c) for c in cases]  # once per case, not once per group and checker
    results: dict[str, dict[str, Score]] = {}
    for label in checkers:
        groups: dict[str, Score] = {}
        for case, expected, predicted in zip(cases, expected_all, CHECKERS[label](cases)):
            keys = ["all", f"diet:{case['diet']}", f"category:{case['category']}"]
            if case["kind"] == "recipe" and not case["violations"]:
                keys.append("compliant recipes")
            for k in keys:
                groups.setdefault(k, Score()).add_case(case, predicted, expected)
        results[label] = groups
    return results


def markdown(split: str, results: dict[str, dict[str, Score]]) -> str:
    labels = list(results)
    n = len(load_cases(split))
    lines = [f"### {split} ({n} cases)", "", "| group | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    groups = sorted({g for r in results.values() for g in r}, key=lambda g: (g != "all", not g.startswith("diet"), g))
    for g in groups:
        cells = []
        for label in labels:
            s = results[label].get(g)
            if s is None:
                cells.append("-")
            elif g == "compliant recipes":
                cells.append(f"false alarms {s.case_fp}/{s.case_fp + s.case_tn} ({s.false_alarm_rate:.1%})")
            else:
                cells.append(f"F1 {s.case_f1:.3f}, span P {s.span_precision:.3f} R {s.span_recall:.3f}")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Cells: case F1 (a case is positive when it has a violation), span precision and recall (overlap).")
    return "\n".join(lines) + "\n"


def report() -> str:
    return REPORT_HEAD + "\n".join(markdown(split, evaluate(split)) for split in SPLITS)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--refresh-baseline" in argv:
        from plugin.atomic import write_text

        cases = [c for split in SPLITS for c in load_cases(split)]
        predictions = dict(zip((c["id"] for c in cases), _oracle_before_from_git(cases)))
        write_text(BASELINE_PATH, json.dumps(predictions, sort_keys=True, indent=0) + "\n")
        return 0
    if "--write" in argv:
        from plugin.atomic import write_text

        write_text(REPORT_PATH, report())
        return 0
    for split in [s for s in SPLITS if s in argv] or ["dev"]:
        results = evaluate(split)
        print(markdown(split, results))
        if "--misses" in argv:
            print("\n".join(results["oracle (this)"]["all"].misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
