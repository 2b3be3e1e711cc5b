"""Command line: ``python -m analysis {dose,synthesize,validate,run,audit} --help``."""

from __future__ import annotations

import argparse
import os
import sys

from analysis.cli import COMMANDS, UsageError, audit, dose, ensemble, run, synthesize, validate

#: The module of each sub-command, in :data:`analysis.cli.COMMANDS` order.
MODULES = {
    m.__name__.rsplit(".", 1)[1]: m for m in (dose, synthesize, validate, run, audit, ensemble)
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description=(
            "Tools of the executable book reproducing Hien et al. 2024 (HAIC for "
            "TACE-refractory hepatocellular carcinoma). Patient-level data are synthetic."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = MODULES[name]
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except BrokenPipeError:
        # the reader went away (``| head``): silence the rest, as a shell tool does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
