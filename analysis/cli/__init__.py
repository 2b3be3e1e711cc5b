"""Sub-commands of ``python -m analysis``.

Each sub-command lives in its own module ``analysis.cli.<name>`` that defines

``HELP``
    one line for the command list,
``add_arguments(parser)``
    adds its options to an :class:`argparse.ArgumentParser`,
``run(args) -> int``
    does the work and returns the exit code.

Errors meant for the user are raised as :class:`UsageError` (exit 2, one line on stderr,
no traceback).
"""

import argparse
from pathlib import Path


class UsageError(Exception):
    """A problem with the user's input: printed as one line on stderr, exit code 2."""


COMMANDS = ["dose", "synthesize", "validate", "run", "audit", "ensemble"]


def file_path(text: str) -> Path:
    """An argparse ``type`` for a file argument: a :class:`~pathlib.Path`, refusing an empty
    text (an unset shell variable), which :class:`~pathlib.Path` would read as ``.``, the
    current folder, and a message would call a directory by the folder's name."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: empty, not a file name")
    return Path(text)
