"""The ranks of a data-parallel run started by ``mlx.launch`` (one process per rank).

mlx-lm's trainer does the data parallelism: when ``mx.distributed.init()`` has more than one
rank it gives each rank every ``size``-th sample of each global batch and averages the
gradients (an all-reduce) before the optimizer step.  This module holds what the suite adds
around it: which rank writes (rank 0 only), the global batch split, and a barrier so that
one rank prepares shared files (the converted model, generated data) before the others read them.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from plugin.runtime.blas import import_mlx
from training.config import ConfigError, TrainConfig

T = TypeVar("T")
Say = Callable[[str], None]


@dataclass(frozen=True)
class World:
    rank: int = 0
    size: int = 1

    @property
    def is_main(self) -> bool:
        """Rank 0: the one rank that writes files and prints progress."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1

    def tag(self, line: str) -> str:
        """``line``, tagged ``[rank N]`` on the ranks other than 0 (one launcher merges every rank's output)."""
        return line if self.is_main else f"[rank {self.rank}] {line}"

    def say(self, say: Say) -> Say:
        """``say`` on rank 0; nothing on the other ranks, which would only repeat rank 0's lines."""
        return say if self.is_main else _silent


def _silent(line: str) -> None:
    pass


def world() -> World:
    """This process's rank and the world size (1 and 1 outside ``mlx.launch``)."""
    group = import_mlx().distributed.init()
    return World(group.rank(), group.size())


def quiet_other_ranks(w: World) -> None:
    """Python warnings and library log lines repeat rank 0's on every other rank: show them on rank 0 only."""
    if not w.is_main:
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)


def per_rank_batch(cfg: TrainConfig, size: int, where: str) -> int:
    """``batch_size`` is the global batch; each of ``size`` ranks trains on an equal share of it."""
    if cfg.batch_size % size:
        raise ConfigError(
            f"{where}: batch_size={cfg.batch_size} is the global batch and must divide by the {size} ranks "
            f"(each rank trains on batch_size / ranks samples); use a multiple of {size}"
        )
    return cfg.batch_size // size


def barrier(w: World) -> None:
    """Wait until every rank gets here (a one-element all-reduce)."""
    if w.distributed:
        mx = import_mlx()
        mx.eval(mx.distributed.all_sum(mx.array(1.0), stream=mx.cpu))


def main_first(w: World, prepare: Callable[[], T]) -> T:
    """``prepare()`` on rank 0, then on the others: shared files are written once, then found.

    On other hosts (which do not share rank 0's disk) the other ranks prepare their own copy.
    """
    if w.is_main:
        result = prepare()
        barrier(w)
        return result
    barrier(w)
    return prepare()


def max_divergence(w: World, weights: dict[str, Any]) -> float:
    """The largest difference of any weight between any two ranks (0.0 when they all agree, as they should)."""
    if not w.distributed:
        return 0.0
    mx = import_mlx()
    spread = [
        mx.max(mx.distributed.all_max(v, stream=mx.cpu) - mx.distributed.all_min(v, stream=mx.cpu)) for v in weights.values()
    ]
    return float(mx.max(mx.stack(spread)).item()) if spread else 0.0


def print_error(w: World, message: str) -> None:
    print(w.tag(f"error: {message}"), file=sys.stderr)
