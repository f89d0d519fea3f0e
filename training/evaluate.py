"""Score an adapter on fresh scenarios: ``python -m training.evaluate --adapter-path DIR --n 200``.

Scenarios come from the data generator with a seed the training data never
uses, so the pantries and requests are unseen.  Generation is greedy and
batched; every verdict comes from the oracle.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from plugin.blas import ensure_fast_blas

ensure_fast_blas()

from plugin import diet  # noqa: E402
from plugin.generation import Sampling, generate_batch  # noqa: E402
from plugin.scoring import Tally, judge  # noqa: E402
from training.dataset import Scenario, generate  # noqa: E402

EVAL_SEED = 20_261_125  # never a training seed


def fresh_scenarios(n: int, seed: int = EVAL_SEED) -> list[Scenario]:
    return [s.scenario for s in generate(n, seed)]


def evaluate(model, tokenizer, scenarios: list[Scenario], batch_size: int = 16, max_tokens: int = 256):  # type: ignore[no-untyped-def]
    prompts = [diet.render_prompt(tokenizer, list(s.pantry), s.diet, s.request) for s in scenarios]
    tic = time.perf_counter()
    outputs = generate_batch(model, tokenizer, prompts, Sampling(0.0, max_tokens), batch_size)
    seconds = time.perf_counter() - tic
    tallies: dict[str, Tally] = defaultdict(Tally)
    for i, (s, text) in enumerate(zip(scenarios, outputs)):
        verdict = judge(text, s.diet, s.pantry)
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

    from plugin import embedded

    p = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--adapter-path", help="adapter folder (omit to score the base model)")
    p.add_argument("--model", default=embedded.MODEL_ID)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--seed", type=int, default=EVAL_SEED)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--out", type=Path, help="write outputs and verdicts as JSON here")
    args = p.parse_args(argv)
    base = str(embedded.ensure_model().path) if args.model == embedded.MODEL_ID else args.model
    model, tokenizer = load(base, adapter_path=args.adapter_path)[:2]
    scenarios = fresh_scenarios(args.n, args.seed)
    tallies, outputs, seconds = evaluate(model, tokenizer, scenarios, args.batch_size, args.max_tokens)
    print(table(tallies))
    print(f"{len(scenarios)} scenarios in {seconds:.0f} s")
    if args.out:
        rows = [{"scenario": s.__dict__, "output": o} for s, o in zip(scenarios, outputs)]
        args.out.write_text(json.dumps({"table": table(tallies), "seconds": seconds, "rows": rows}, indent=1, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
