"""The oracle's command line: ``python -m plugin.diet check --diet vegan [--strict] [FILE|-]``.

Prints the violations as a JSON list; exit status 1 when there is any, 0 when none,
2 on bad input (unknown diet, unreadable file).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from plugin.diet.errors import InputError, SuiteError
from plugin.diet.lexicon import DIET_CHOICES, DIETS, check_diet, load
from plugin.diet.matching import find_violations

if TYPE_CHECKING:
    import argparse

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


def _read(path: str) -> str:
    """The text to check, from a file or stdin, strictly UTF-8 and not empty."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise InputError(f"{name}: empty input, nothing to check")
    return text


def _parser() -> argparse.ArgumentParser:
    import argparse  # CLI-only: keep `import plugin.diet` cheap

    parser = argparse.ArgumentParser(prog="python -m plugin.diet", description="Dietary oracle")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print dietary violations in a text as JSON")
    check.add_argument("--diet", required=True, type=str.lower, help=f"one of: {', '.join(DIET_CHOICES)} (any case)")
    check.add_argument("--strict", action="store_true", help="also report disputed ingredients")
    check.add_argument("file", nargs="?", default="-", help="text file to check, '-' for stdin (default)")
    sub.add_parser("policy", help="print the diet policy (diets.toml) as a Markdown table")
    return parser


def policy_table() -> str:
    """The written diet policy as Markdown: what each diet follows, forbids, and leaves to strict mode."""
    diets = load().diets
    lines = ["| diet | follows | always a violation | strict mode only (why disputed) |", "|---|---|---|---|"]
    for name in DIETS:
        d = diets[name]
        disputed = "; ".join(f"{tag}: {why}" for tag, why in sorted(d.disputed.items())) or "-"
        scoped = f" (qualifiers for this diet only: {', '.join(sorted(d.qualifiers))})" if d.qualifiers else ""
        lines.append(f"| {name} | {d.policy}{scoped} | {', '.join(sorted(d.forbid))} | {disputed} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "policy":
        print(policy_table(), end="")
        return EXIT_CLEAN
    try:
        check_diet(args.diet)
        found = find_violations(_read(args.file), args.diet, strict=args.strict)
    except SuiteError as exc:  # a bad diet or file, or a broken lexicon: one line
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    import json
    from dataclasses import asdict

    code = EXIT_VIOLATIONS if found else EXIT_CLEAN
    try:
        print(json.dumps([asdict(v) for v in found], ensure_ascii=False), flush=True)
    except BrokenPipeError:  # `... | head`: the reader left; the verdict still stands
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
    return code
