"""Pre-flight and LoRA fine-tuning of the recipe model, the seed guide's ``finetune_mlx_v3.py`` made real.

    python training/finetune_mlx_v3.py [--config training/lora_config_v3.yaml] [--iters N] ...
    python training/finetune_mlx_v3.py --resume-adapter-file models/phi3-recipe-lora-v3/0001500_adapters.safetensors
    python -m training.launch -n 2 -- python training/finetune_mlx_v3.py --config ...   # data-parallel (mlx.launch)

Under ``mlx.launch`` every rank runs this script: ``batch_size`` is the global batch, split across
the ranks; rank 0 alone prints and writes (the other ranks tag their error lines ``[rank N]``).

Values come from the command line, then the YAML, then defaults.  Exit codes:
0 trained (or pre-flight only), 2 bad input, 3 the config needs Metal and this
machine has none (pass --force), 130 interrupted (resume from the last checkpoint).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo importable (plugin.paths.ROOT is not importable yet)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.runtime.blas import ensure_fast_blas

ensure_fast_blas()

from plugin.diet.errors import MissingFileError, SuiteError  # noqa: E402
from plugin.runtime import embedded  # noqa: E402
from training import distributed, preflight  # noqa: E402
from training.config import TrainConfig, load_config  # noqa: E402

EXIT_BAD_INPUT, EXIT_NEEDS_METAL, EXIT_INTERRUPTED = 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="finetune_mlx_v3.py", description="Pre-flight, then LoRA fine-tuning with mlx-lm.")
    p.add_argument("--config", help="LoRA YAML (default: the run profile's: v3 with Metal, cpu elsewhere)")
    p.add_argument("--model", help=f"base model: HF id, local folder or {embedded.MODEL_ID}")
    p.add_argument("--data", help="folder with train.jsonl and valid.jsonl")
    p.add_argument("--adapter-path", help="where adapters, checkpoints and metrics are written")
    p.add_argument("--iters", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--learning-rate", type=float)
    p.add_argument("--save-every", type=int)
    p.add_argument("--steps-per-eval", type=int)
    p.add_argument("--steps-per-report", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--num-layers", type=int, help="layers to adapt from the top (-1: all)")
    p.add_argument("--resume-adapter-file", type=Path, help="checkpoint to continue from (iteration numbering carries on)")
    p.add_argument("--warmup-steps", type=int, default=3, help="steps timed for the estimate (0 skips it)")
    p.add_argument("--preflight-only", action="store_true", help="stop after the pre-flight")
    p.add_argument("--force", action="store_true", help="train a Metal-sized config on this backend anyway")
    return p


OVERRIDES = (
    "model",
    "data",
    "adapter_path",
    "iters",
    "batch_size",
    "learning_rate",
    "save_every",
    "steps_per_eval",
    "steps_per_report",
    "seed",
    "num_layers",
)


def default_config_path() -> Path:
    from plugin.runtime.backend import detect_backend_name
    from training import run_profiles

    return run_profiles.get(run_profiles.default_run_profile(detect_backend_name())[0]).config


def resolve_model(cfg: TrainConfig) -> str:
    if cfg.model == embedded.MODEL_ID:
        return str(embedded.ensure_model().path)
    return cfg.model


def is_own_data(data: str | None, config_path: Path | str) -> bool:
    """Whether training reads the config's own data folder (the one its ``data_counts`` describe)."""
    from training.config import resolve_path

    return data is None or resolve_path(data) == load_config(config_path).data_dir


def needs_metal(cfg: TrainConfig) -> bool:
    return cfg.model != embedded.MODEL_ID


def run(args: argparse.Namespace, say: Any = print) -> int:
    from plugin.runtime.backend import detect
    from training import dataset, trainer

    ranks = distributed.world()
    say = ranks.say(say)
    config_path = args.config or default_config_path()
    overrides = {k: getattr(args, k) for k in OVERRIDES}
    cfg = load_config(config_path, overrides)
    distributed.per_rank_batch(cfg, ranks.size, f"{config_path}" + (" (--batch-size)" if args.batch_size else ""))
    backend = detect()
    say(f"🚀 Recipe LoRA fine-tuning: {cfg.model} on {backend.name} (MLX {backend.mlx_version}, mlx-lm {backend.mlx_lm_version})")
    say("=" * 80)
    template = dataset.template_for(cfg.model)
    if args.data is None:  # the config's own data folder is ours to generate; a --data folder is the user's
        distributed.main_first(ranks, lambda: dataset.ensure_data(cfg, template, say))
    own_data = is_own_data(args.data, config_path)
    data = preflight.check_data(cfg, template.markers, template.family, own_data)
    preflight.print_data(data, say)
    if data.problems:
        for problem in data.problems:  # bad input goes to stderr, like config errors
            distributed.print_error(ranks, problem)
        return EXIT_BAD_INPUT
    say("")
    preflight.print_config(cfg, cfg.model, say, ranks.size)
    say("")
    preflight.print_schedule(cfg, data.counts.get("train", 0), say, own_data)
    start = 0
    if args.resume_adapter_file:
        if not args.resume_adapter_file.is_file():
            raise MissingFileError(f"--resume-adapter-file {args.resume_adapter_file}: no such file")
        trainer.check_same_base(args.resume_adapter_file, cfg.model)
        start = trainer.resume_iteration(args.resume_adapter_file)
    if needs_metal(cfg) and backend.name != "metal" and not args.force:
        preflight.print_seed_estimate(cfg, say)
        say("")
        say(f"⛔ {cfg.model} is a Metal job (Apple Silicon); this machine's MLX backend is {backend.name}.")
        say("   Use --config training/lora_config_cpu.yaml for the embedded model, or pass --force to train anyway.")
        return EXIT_NEEDS_METAL
    return _train(cfg, args, start, say, ranks)


def _train(cfg: TrainConfig, args: argparse.Namespace, start: int, say: Any, ranks: distributed.World) -> int:
    from mlx_lm import load

    from training import trainer
    from training.fingerprint import fingerprint

    base = distributed.main_first(ranks, lambda: resolve_model(cfg))  # the embedded model is converted once per host
    model, tokenizer = load(base)[:2]
    trainer.prepare_model(cfg, model, args.resume_adapter_file)
    train_set, _ = trainer.load_datasets(cfg, tokenizer)
    preflight.print_long_records(cfg, train_set, say)
    if args.warmup_steps > 0:
        warm = preflight.measure_warmup(cfg, model, train_set, args.warmup_steps)
        preflight.print_estimate(cfg, warm, cfg.iters - start, say, ranks.size)
    if args.preflight_only:
        say("✅ Pre-flight done (--preflight-only).")
        return 0
    say("")
    say("✅ Configuration ready! Starting fine-tuning...")
    try:
        result = trainer.train_lora(
            cfg,
            model,
            tokenizer,
            base,
            resume_file=args.resume_adapter_file,
            extra_summary={"fingerprint": fingerprint(cfg, base)},
        )
    except KeyboardInterrupt:
        hint = trainer.resume_hint(cfg.adapter_dir)
        say(
            "⏹️  Interrupted. Resume with: python training/finetune_mlx_v3.py "
            f"--config {args.config or default_config_path()}{hint}"
        )
        return EXIT_INTERRUPTED
    if not ranks.is_main:
        return 0
    val = "n/a" if result.final_val_loss is None else f"{result.final_val_loss:.3f}"
    on = f" on {ranks.size} ranks" if ranks.distributed else ""
    say(
        f"🏁 Done: train loss {result.final_train_loss:.3f}, val loss {val}, "
        f"{result.iterations_per_second or 0:.2f} it/s, {result.tokens_per_second or 0:.0f} tokens/s, "
        f"peak {result.peak_memory_gb:.2f} GB, {result.wall_seconds:.0f} s{on} -> {result.adapter_dir}"
    )
    for warning in result.warnings:
        say(f"⚠️  {warning}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    ranks = distributed.world()
    distributed.quiet_other_ranks(ranks)
    try:
        return run(args)
    except SuiteError as exc:  # ConfigError, DataError, TrainingError, AdapterError, ...: one line, exit 2
        distributed.print_error(ranks, str(exc))
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
