"""Write the fine-tuning data: ``python -m training.dataset --profile v3``.

Writes ``train.jsonl`` and ``valid.jsonl`` (the seed's ``{"text": ...}`` records,
or ``{"messages": [...]}`` with ``--format chat``) deterministically from a seed.
The samples come from the domain's synthesis core (``plugin.diet.scenarios``),
which checks every answer with the oracle as it is made.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plugin.atomic import write_jsonl
from plugin.diet.chat import PHI3, ChatTemplate, from_model_dir
from plugin.diet.errors import InputError, SuiteError
from plugin.diet.scenarios import NO_PROTEIN_RATE, Sample, unique_samples
from plugin.runtime import embedded
from training import run_profiles
from training.config import TrainConfig, load_config
from training.jsonl import SPLITS

FORMATS = ("text", "chat")


def to_record(sample: Sample, template: ChatTemplate, fmt: str) -> dict[str, Any]:
    if fmt == "chat":
        return {"messages": sample.messages()}
    return {"text": template.apply_chat_template(sample.messages(), tokenize=False, add_generation_prompt=False)}


def write_splits(
    out: Path,
    counts: dict[str, int],
    seed: int,
    template: ChatTemplate,
    fmt: str = "text",
    no_protein_rate: float = NO_PROTEIN_RATE,
) -> dict[str, int]:
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    samples = unique_samples(sum(counts[s] for s in SPLITS), seed, no_protein_rate)
    written, start = {}, 0
    for split in SPLITS:
        chunk = samples[start : start + counts[split]]
        start += counts[split]
        written[split] = write_jsonl(out / f"{split}.jsonl", (to_record(s, template, fmt) for s in chunk))
    return written


def template_for(model: str) -> ChatTemplate:
    """The chat template data for ``model`` must be rendered with."""
    if model == embedded.MODEL_ID:
        return from_model_dir(embedded.ensure_model().path)
    if Path(model).is_dir():
        return from_model_dir(Path(model))
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise InputError(
            f"model {model} (the config's 'model' key): no such folder; give an MLX model folder, an HF id or {embedded.MODEL_ID}"
        )
    if "phi-3" in model.lower():
        return PHI3
    raise InputError(f"{model}: unknown chat template; pass a local model folder")


def ensure_data(cfg: TrainConfig, template: ChatTemplate, say: Callable[[str], None] = print) -> bool:
    """Write the config's splits if they are missing; True when it wrote them."""
    if all((cfg.data_dir / f"{s}.jsonl").exists() for s in SPLITS):
        return False
    say(f"📦 {cfg.data_dir} is missing: generating {cfg.data_counts} samples (seed {cfg.seed})")
    write_splits(cfg.data_dir, cfg.data_counts, cfg.seed, template)
    return True


def _rate(value: str) -> float:
    """argparse type for a share between 0 and 1."""
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {value!r}")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.dataset", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="cpu", choices=sorted(run_profiles.RUN_PROFILES), help="run profile")
    parser.add_argument("--config", help="LoRA YAML to take data, data_counts and seed from (default: the run profile's)")
    parser.add_argument("--out", help="output folder (default: the config's data)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="text: the seed's rendered records; chat: messages")
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--no-protein-rate",
        type=_rate,
        default=NO_PROTEIN_RATE,
        help=f"share of pantries with no allowed protein, so the answer must do without one (default {NO_PROTEIN_RATE})",
    )
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config or run_profiles.get(args.profile).config)
        out = Path(args.out) if args.out else cfg.data_dir
        seed = cfg.seed if args.seed is None else args.seed
        written = write_splits(out, cfg.data_counts, seed, template_for(cfg.model), args.format, args.no_protein_rate)
    except SuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {written['train']} train / {written['valid']} valid {args.format} records to {out} (seed {seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
