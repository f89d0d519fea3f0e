"""The project's one error base class, at the bottom of the import stack so every room can use it.

Every error the project raises on purpose (a bad file, key, option or value) derives from
``SuiteError`` and keeps a builtin mixin (``ValueError``, ``KeyError``, ``RuntimeError``...),
so existing ``except ValueError`` code still works. Entry points (the pytest plugin, the
training CLIs, the oracle CLI) turn *these* into one-line usage errors and nothing else:
a crash inside MLX or a bug of ours keeps its traceback.
"""

from __future__ import annotations


class SuiteError(Exception):
    """Base class of the project's own errors; the message names the file, line, key or option."""


class InputError(SuiteError, ValueError):
    """A value given by the user (an option, a file, an environment variable) is unusable."""


class MissingFileError(SuiteError, FileNotFoundError):
    """A file or folder the project needs is not there; the message names it and how to make it."""
