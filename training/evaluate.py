"""Score an adapter on fresh scenarios: ``python -m training.evaluate --adapter-path DIR --n 200``.

Scenarios are the gate scenarios (``plugin.diet.scenarios.gate_scenarios``): the data
generator with a seed the training data never uses, so the pantries and requests are unseen.  Generation is greedy and
batched; every verdict comes from the oracle.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from plugin.runtime.blas import ensure_fast_blas

ensure_fast_blas()

from plugin.atomic import write_text  # noqa: E402
from plugin.diet import Scenario, SuiteError, render_prompt  # noqa: E402
from plugin.diet.scenarios import GATE_SEED, gate_scenarios  # noqa: E402
from plugin.diet.scoring import Tally, judge  # noqa: E402
from plugin.runtime import embedded  # noqa: E402
from plugin.runtime.generation import DEFAULT_BATCH_SIZE, DEFAULT_MAX_TOKENS, Sampling, generate_batch  # noqa: E402


def evaluate(
    model: Any,
    tokenizer: Any,
    scenarios: list[Scenario],
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> tuple[dict[str, Tally], list[str], float]:
    prompts = [render_prompt(tokenizer, s) for s in scenarios]
    tic = time.perf_counter()
    outputs = generate_batch(model, tokenizer, prompts, Sampling(0.0, max_tokens), batch_size)
    seconds = time.perf_counter() - tic
    tallies: dict[str, Tally] = defaultdict(Tally)
    for i, (s, text) in enumerate(zip(scenarios, outputs)):
        verdict = judge(text, s)
        tallies[s.diet].add(verdict, f"#{i} {s.diet}")
        tallies["all"].add(verdict, f"#{i} {s.diet}")
    return tallies, outputs, seconds


def table(tallies: dict[str, Tally]) -> str:
    rows = ["| diet | n | pass | diet-safe | format | grounded | pass 95% CI |", "|---|---|---|---|---|---|---|"]
    for name, t in sorted(tallies.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        lo, hi = t.wilson()
        rows.append(
            f"| {name} | {t.n} | {t.rate():.0%} | {t.rate('diet_safe'):.0%} | {t.rate('format_ok'):.0%} "
            f"| {t.rate('grounded'):.0%} | {lo:.2f}-{hi:.2f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    from mlx_lm import load

    p = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--adapter-path", help="adapter folder (omit to score the base model)")
    p.add_argument("--model", default=embedded.MODEL_ID)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--seed", type=int, default=GATE_SEED)
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    p.add_argument("--max-tokens", type=int, default=DEFAULT_MAX_TOKENS)
    p.add_argument("--out", type=Path, help="write outputs and verdicts as JSON here")
    args = p.parse_args(argv)
    try:
        base = str(embedded.ensure_model().path) if args.model == embedded.MODEL_ID else args.model
    except SuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model, tokenizer = load(base, adapter_path=args.adapter_path)[:2]
    scenarios = gate_scenarios(args.n, args.seed)
    tallies, outputs, seconds = evaluate(model, tokenizer, scenarios, args.batch_size, args.max_tokens)
    print(table(tallies))
    print(f"{len(scenarios)} scenarios in {seconds:.0f} s")
    if args.out:
        rows = [{"scenario": s.__dict__, "output": o} for s, o in zip(scenarios, outputs)]
        counts = {name: {k: v for k, v in vars(t).items() if k != "failures"} for name, t in tallies.items()}
        report = {"table": table(tallies), "counts": counts, "seconds": seconds, "rows": rows}
        write_text(args.out, json.dumps(report, indent=1, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
