"""Dietary oracle: public API and CLI.

Pure Python (stdlib only): no mlx/numpy/transformers, and nothing is loaded
at import time; the lexicon (plugin/data/*.toml) is read and compiled on first
use.

CLI::

    python -m plugin.diet check --diet vegan [--strict] [FILE|-]

prints the violations as a JSON list; exit status 1 when there is any, 0 when
none, 2 on bad input (unknown diet, unreadable file).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from plugin.lexicon import (
    DIETS,
    NO_DIET,
    PREFERENCES,
    Diet,
    Ingredient,
    LexiconError,
    UnknownIngredientError,
    allowed_ingredients,
    canonical,
    forbidden_ingredients,
    ingredients,
    is_forbidden,
    lookup,
    offending_tags,
    surface_forms,
)
from plugin.matching import Mention, Violation, find_violations, mentions
from plugin.prompts import build_messages, instruction_2, pantry_line, render_prompt, system_prompt
from plugin.recipe import STAPLES, Recipe, parse_recipe, render_recipe, ungrounded

if TYPE_CHECKING:
    import argparse

__all__ = [
    "DIETS",
    "NO_DIET",
    "PREFERENCES",
    "STAPLES",
    "Diet",
    "Ingredient",
    "LexiconError",
    "Mention",
    "Recipe",
    "UnknownIngredientError",
    "Violation",
    "allowed_ingredients",
    "build_messages",
    "canonical",
    "find_violations",
    "forbidden_ingredients",
    "ingredients",
    "instruction_2",
    "is_forbidden",
    "lookup",
    "main",
    "mentions",
    "offending_tags",
    "pantry_line",
    "parse_recipe",
    "render_prompt",
    "render_recipe",
    "surface_forms",
    "system_prompt",
    "ungrounded",
]


class _InputError(Exception):
    """Bad CLI input: reported as one line on stderr, exit status 2."""


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise _InputError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _InputError(f"cannot read {path}: {exc}") from None


def _parser() -> argparse.ArgumentParser:
    import argparse  # CLI-only: keep `import plugin.diet` cheap

    parser = argparse.ArgumentParser(prog="python -m plugin.diet", description="Dietary oracle")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print dietary violations in a text as JSON")
    check.add_argument("--diet", required=True, help=f"one of: {', '.join(PREFERENCES)}")
    check.add_argument("--strict", action="store_true", help="also report disputed ingredients")
    check.add_argument("file", nargs="?", default="-", help="text file to check, '-' for stdin (default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.diet not in PREFERENCES:
            raise _InputError(f"unknown diet {args.diet!r}; known diets: {', '.join(PREFERENCES)}")
        found = find_violations(_read(args.file), args.diet, strict=args.strict)
    except _InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import json
    from dataclasses import asdict

    print(json.dumps([asdict(v) for v in found], ensure_ascii=False))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
