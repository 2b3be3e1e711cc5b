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


class UsageError(Exception):
    """A problem with the user's input: printed as one line on stderr, exit code 2."""


COMMANDS = ["dose", "synthesize", "validate", "run", "audit", "ensemble"]
