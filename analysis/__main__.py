"""Command line: ``python -m analysis {dose,synthesize,validate,run,audit,ensemble} --help``.

Importing the commands' modules (pandas, NumPy, SciPy) takes about a second; a Ctrl-C in that
second ends like one later, with ``interrupted`` and exit code 130, not a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys

from analysis import numerics

# Before anything else loads: the reference's exp and log (glibc's SSE2 variants), which glibc
# picks when a process starts, so the process starts again with them where it has others.
numerics.restart_with_libm()

try:
    from analysis.cli import (
        COMMANDS,
        HelpFormatter,
        UsageError,
        audit,
        closest,
        dose,
        ensemble,
        mistyped_options,
        run,
        scrubbed,
        shown_argument,
        store_once,
        synthesize,
        unknown_command,
        unrecognized,
        validate,
        version_line,
    )
    from analysis.formatting import wrapped
except KeyboardInterrupt:  # Ctrl-C while the modules load: the same line and code as later
    print("interrupted", file=sys.stderr)
    sys.exit(130)

#: The module of each sub-command, in :data:`analysis.cli.COMMANDS` order.
MODULES = {
    m.__name__.rsplit(".", 1)[1]: m for m in (dose, synthesize, validate, run, audit, ensemble)
}

EPILOG = """\
examples:
  python -m analysis validate my_cohort.csv
  python -m analysis run --cohort my_cohort.csv --out reports/mine --chapters 06
  python -m analysis audit --verdict inconsistent
  python -m analysis dose --height-cm 170 --weight-kg 65

Each command explains its options and defaults:
  python -m analysis COMMAND --help
"""


#: What argparse reads as a negative number rather than an option (its own: -5 and -.5 only).
_NEGATIVE_NUMBER = re.compile(
    r"^-(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^-(?:inf|infinity|nan)$", re.IGNORECASE
)


class _Parser(argparse.ArgumentParser):
    """The parser of ``python -m analysis`` and (``add_subparsers`` makes them of its class) of
    its commands: a command that is none of :data:`~analysis.cli.COMMANDS` is told the closest
    one (``synthesise`` → did you mean 'synthesize'?), not the list alone, and is repeated
    masked when it holds an identifier (a file name given without a command); a value that is
    none of an option's choices is told the closest one too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a value such as -1e2, -0e5 or -inf is a (refused) number, not an unknown option:
        # "dose --egfr -1e2" said "argument --egfr: expected one argument"
        self._negative_number_matcher = _NEGATIVE_NUMBER

    def _check_value(self, action, value):
        if action.choices is None or value in action.choices:
            return super()._check_value(action, value)
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, unknown_command(value, list(action.choices)))
        # a value among choices (audit --verdict consistant): the closest one too
        choices = [str(c) for c in action.choices]
        listed = ", ".join(repr(c) for c in choices)
        match = closest(str(value), choices)
        hint = f"; did you mean {match!r}?" if match is not None else ""
        raise argparse.ArgumentError(
            action, f"invalid choice: '{shown_argument(str(value))}'{hint} (choose from {listed})"
        )

    def _get_option_tuples(self, option_string):
        # an abbreviation is matched against the options --help shows: "run --chapter 02" said
        # "ambiguous option: --chapter could match --chapters, --chapters-dir", naming a hidden
        # option (the tests' --chapters-dir) and refusing the one the reader meant
        tuples = super()._get_option_tuples(option_string)
        shown = [t for t in tuples if t[0].help is not argparse.SUPPRESS]
        return shown if len(tuples) > 1 and shown else tuples

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            # "invalid int value: '…'" repeated a 5000-digit --seed whole, and an identifier
            # typed into the wrong field (--n 850101-1234567) as it was
            shown, message = shown_argument(arg_string), str(exc.message)
            if shown == arg_string or repr(arg_string) not in message:
                raise  # repeated as typed, or not repeated at all
            message = message.replace(repr(arg_string), f"'{shown}'")
            raise argparse.ArgumentError(action, message) from None

    #: The words of the command line, set by :func:`_main` on every parser: a required option
    #: reported missing because it was mistyped (``ensemble -n 5``) is told the closest.
    words: list[str] = []

    def error(self, message):
        message = scrubbed(message, self.words)
        if message.startswith("the following arguments are required"):
            options = [o for a in self._actions for o in a.option_strings]
            for word, match in mistyped_options(self.words, options):
                message += f"; {shown_argument(word)} is not an option: did you mean {match}?"
        super().error(message)


class _Version(argparse.Action):
    """``--version``: :func:`analysis.cli.version_line`, read only when asked for."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        # as argparse prints --help: a closed pipe (``--version | true``) is no traceback
        parser._print_message(version_line() + "\n", sys.stdout)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m analysis`` and its sub-commands."""
    parser = _Parser(
        prog="python -m analysis",
        description=(
            "Tools of the executable book reproducing Hien et al. 2024 (HAIC for "
            "TACE-refractory\nhepatocellular carcinoma). Patient-level data are synthetic."
        ),
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--version",
        action=_Version,
        help="print the version (and Python's, NumPy's, SciPy's, pandas') and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = MODULES[name]
        p = sub.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            formatter_class=HelpFormatter,
        )
        module.add_arguments(p)
        store_once(p)  # an option given twice with different values is an error, not the last
        p.set_defaults(_run=module.run, _parser=p)
    return parser


def _command_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The sub-commands' parsers of ``parser`` (built by :func:`build_parser`)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [p for a in subs for p in a.choices.values()]


class _OutputError(Exception):
    """Standard output cannot be written (a full disk, a closed descriptor, an I/O error)."""


class _GuardedStdout:
    """Standard output whose write errors, other than a closed pipe (which ends the command
    quietly, as ``| head`` expects), become :class:`_OutputError`: ``validate … > /dev/full``
    ended in an OSError traceback, ``validate … >&-`` in an AttributeError one."""

    def __init__(self, stream):
        self._stream = stream

    def _guard(self, call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except (OSError, ValueError, AttributeError) as exc:
            raise _OutputError(getattr(exc, "strerror", None) or "it is closed") from exc

    def write(self, text):
        return self._guard(lambda t: self._stream.write(t), text)

    def flush(self):
        return self._guard(lambda: self._stream.flush())

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _silence_stdout(stream) -> None:
    """Point the descriptor under ``stream`` at /dev/null, so that the flush at exit neither
    fails again nor prints "Exception ignored"."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), fd)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    words = sys.argv[1:] if argv is None else list(argv)
    for p in [parser, *_command_parsers(parser)]:
        p.words = [str(w) for w in words]
    args, extra = parser.parse_known_args(argv)
    if extra:
        # reported by the sub-command's parser: its usage line, not the command list's; an
        # unknown option with the closest one, each word masked if it holds an identifier
        which = getattr(args, "_parser", parser)
        options = [o for a in which._actions + parser._actions for o in a.option_strings]
        which.error(unrecognized(extra, dict.fromkeys(options)))
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    stream = sys.stdout
    # a file name that is not UTF-8 (bytes the shell passed through as surrogates) is printed
    # escaped: a strict stdout (a UTF-8 locale's) raised UnicodeEncodeError on "wrote NAME"
    # after synthesize had written the file, and the command said "cannot write the output
    # (it is closed)", exit 2
    errors = getattr(stream, "errors", None)
    with contextlib.suppress(AttributeError, ValueError, OSError):
        stream.reconfigure(errors="backslashreplace")
    sys.stdout = _GuardedStdout(stream)
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except BrokenPipeError:
        # the reader went away (``| head``): silence the rest, as a shell tool does
        _silence_stdout(stream)
        return 141
    except _OutputError as exc:
        print(f"error: cannot write the output ({exc})", file=sys.stderr)
        _silence_stdout(stream)
        return 2
    except UsageError as exc:
        # wrapped at 80 columns as validate's messages are: a refusal of --out was 150 long
        print(wrapped(f"error: {scrubbed(str(exc), words)}"), file=sys.stderr)
        return 2
    finally:
        sys.stdout = stream
        if errors is not None:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors=errors)


def main(argv: list[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _exit(code: int) -> None:
    """Exit with ``code``, no longer stopped by Ctrl-C (SIGINT) or a closing terminal (SIGHUP):
    the command is done and has said so. A Ctrl-C while the interpreter shut down (after ``run``
    had written its report and printed its summary) killed the process with status -2 and no
    message. SIGTERM still ends it: a supervisor must be able to stop a shutdown that hangs."""
    import signal

    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    _exit(main())
