"""The virtualenv's start-up hook: every Python started from the venv preloads the optimized BLAS.

The project's entry points preload it themselves (``plugin.runtime.blas``); the hook covers
every other process in the venv: the mlx-lm CLIs, a plain ``python -c``, a notebook kernel.
``python -m plugin.runtime.blas_hook`` (run by ``scripts/setup.sh``) writes two files into the
venv's site-packages:

- ``recipe_blas_preload.py``, a verbatim copy of ``plugin/runtime/blas_preload.py`` (stdlib
  only). A copy, not an import of ``plugin.runtime``: the hook must not put the project's
  generic ``plugin`` package into every process, nor depend on the order in which ``site``
  reads the editable install's ``.pth`` and ours;
- ``recipe_blas_preload.pth``, one ``import`` line calling its ``preload()`` with the library
  located now, so an interpreter start costs one ``dlopen`` and no search.

Idempotent: a file is rewritten only when its content changes; ``--remove`` deletes both.
Off Linux (MLX uses Accelerate on macOS), or with no optimized BLAS on the machine, it installs
nothing and removes a hook left from before.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
from pathlib import Path

from plugin.atomic import write_text
from plugin.runtime import blas_preload
from plugin.runtime.blas_preload import ENV_VAR, HOOK_MODULE, OFF, candidates

SOURCE = Path(blas_preload.__file__)
NAMES = (f"{HOOK_MODULE}.py", f"{HOOK_MODULE}.pth")


def site_packages() -> Path:
    """The running interpreter's site-packages: run this with the venv's python."""
    return Path(sysconfig.get_paths()["purelib"])


def hook_files(library: str) -> dict[str, str]:
    """File name -> content of the hook that preloads ``library``."""
    line = f"import {HOOK_MODULE}; {HOOK_MODULE}.preload({library!r})\n"
    return {NAMES[0]: SOURCE.read_text(encoding="utf-8"), NAMES[1]: line}


def stale_files(site: Path, library: str) -> list[str]:
    """Hook files missing from ``site`` or differing from what ``install`` writes (empty when current)."""
    return [name for name, text in hook_files(library).items() if _read(site / name) != text]


def install(site: Path, library: str) -> list[str]:
    """Write the hook files that are missing or stale; returns the names written."""
    written = stale_files(site, library)
    for name in written:
        write_text(site / name, hook_files(library)[name])
    return written


def remove(site: Path) -> list[str]:
    """Delete the hook files; returns the names removed."""
    removed = [name for name in NAMES if (site / name).is_file()]
    for name in removed:
        (site / name).unlink()
    return removed


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def set_up(site: Path, platform: str = sys.platform) -> str:
    """Install, update or remove the hook as this machine needs; returns what was done, in one line."""
    if platform != "linux":
        gone = remove(site)
        return f"none on {platform} (MLX does not use the reference BLAS there)" + (f"; removed {gone}" if gone else "")
    found = candidates()
    if not found:
        gone = remove(site)
        return "none: no optimized BLAS on this machine" + (f"; removed {gone}" if gone else "")
    written = install(site, found[0])
    state = f"installed {', '.join(written)}" if written else "up to date"
    return f"{state} in {site}: every python of this venv preloads {found[0]} ({ENV_VAR}={OFF} turns it off)"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m plugin.runtime.blas_hook", description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, default=None, help="site-packages to write to (default: this interpreter's)")
    p.add_argument("--remove", action="store_true", help="delete the hook")
    args = p.parse_args(argv)
    site = args.site or site_packages()
    if args.remove:
        print(f"removed {remove(site) or 'nothing'} from {site}")
    else:
        print(set_up(site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
