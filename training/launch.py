"""``mlx.launch`` with an exit status: a data-parallel run fails when one of its ranks fails.

    python -m training.launch -n 2 -- python training/finetune_mlx_v3.py --config training/lora_config_cpu.yaml
    python -m training.launch --hostfile hosts.json -- python training/finetune_mlx_v3.py --config ...

Every option before ``--`` is ``mlx.launch``'s (``-n``, ``--hosts``, ``--hostfile``, ``--backend``,
``--env``, ...), passed through unchanged.  ``mlx.launch`` stops the other ranks when one exits
non-zero or is killed, but itself exits 0 (mlx 0.29-0.32); it reports each such rank on stderr
("Node with rank 1 was killed").  This wrapper runs it, forwards its output, reads those
reports and exits non-zero, naming the rank that failed first.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO

# mlx.launch's report of a rank that did not finish normally (mlx/_distributed_utils/launch.py).
RANK_REPORT = re.compile(r"Node with rank (\d+) (was killed|exited with code (-?\d+))")
EXIT_RANK_FAILED = 1
MLX_LAUNCH = ("-c", "from mlx._distributed_utils.launch import main; main()")  # the mlx.launch console script


@dataclass(frozen=True)
class RankFailure:
    rank: int
    code: int | None  # None: killed by the launcher after another rank failed

    def describe(self) -> str:
        if self.code is None:
            return f"rank {self.rank} was stopped by mlx.launch"
        if self.code < 0:
            return f"rank {self.rank} was killed by signal {-self.code}"
        return f"rank {self.rank} exited with code {self.code}"


@dataclass
class LaunchResult:
    launcher_code: int
    failures: list[RankFailure] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every rank finished; else the first failed rank's own code (e.g. 2: bad input), or 1."""
        if self.launcher_code:
            return self.launcher_code
        if not self.failures:
            return 0
        first = self.failures[0]
        return first.code if first.code and first.code > 0 else EXIT_RANK_FAILED

    def message(self) -> str:
        if not self.failures:
            return ""
        first, *rest = self.failures
        others = "; then " + ", ".join(f.describe() for f in rest) if rest else ""
        return (
            f"error: {first.describe()}{others}. mlx.launch stopped the run (it exits 0 itself; this launcher exits "
            f"{self.exit_code}). Files written before the failure are whole: a training resumes with "
            "--resume-adapter-file <adapter folder>/<the checkpoint training_state.json names>, on any number of ranks."
        )


def parse_report(line: str) -> RankFailure | None:
    m = RANK_REPORT.search(line)
    if not m:
        return None
    return RankFailure(int(m.group(1)), None if m.group(3) is None else int(m.group(3)))


def order_failures(failures: list[RankFailure]) -> list[RankFailure]:
    """The rank that failed by itself first; the ranks mlx.launch terminated (SIGTERM) after it last."""
    stopped = [f for f in failures if f.code in (None, -15)]
    return [f for f in failures if f not in stopped] + stopped


def launch(
    launcher_args: Sequence[str],
    command: Sequence[str],
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> LaunchResult:
    """Run ``mlx.launch <launcher_args> -- <command>``; its lines go to ``on_line`` (else stdout/stderr)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    argv = [sys.executable, *MLX_LAUNCH, *launcher_args, "--", *command]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1)
    failures: list[RankFailure] = []

    def pump(stream: IO[str], sink: IO[str], is_err: bool) -> None:
        for line in stream:
            report = parse_report(line) if is_err else None
            if report is not None:
                failures.append(report)
                continue  # reported once, clearly, at the end
            if on_line is not None:
                on_line(line.rstrip("\n"))
            else:
                sink.write(line)
                sink.flush()

    assert proc.stdout is not None and proc.stderr is not None
    threads = [
        threading.Thread(target=pump, args=(proc.stdout, out, False), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, err, True), daemon=True),
    ]
    for t in threads:
        t.start()
    code = proc.wait()
    for t in threads:
        t.join()
    return LaunchResult(code, order_failures(failures))


def split_command(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    if "--" not in argv:
        raise SystemExit("usage: python -m training.launch [mlx.launch options] -- <command ...> (the '--' is required)")
    i = list(argv).index("--")
    command = list(argv[i + 1 :])
    if not command:
        raise SystemExit("python -m training.launch: no command after '--'")
    return list(argv[:i]), command


def main(argv: Sequence[str] | None = None) -> int:
    launcher_args, command = split_command(sys.argv[1:] if argv is None else argv)
    result = launch(launcher_args, command)
    if result.failures:
        print(result.message(), file=sys.stderr)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
