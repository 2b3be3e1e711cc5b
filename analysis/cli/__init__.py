"""Sub-commands of ``python -m analysis``.

Each sub-command lives in its own module ``analysis.cli.<name>`` that defines

``HELP``
    one line for the command list,
``add_arguments(parser)``
    adds its options to an :class:`argparse.ArgumentParser`,
``run(args) -> int``
    does the work and returns the exit code.

Errors meant for the user are raised as :class:`UsageError` (exit 2, one message on stderr,
wrapped at 80 columns as ``validate``'s are, no traceback).
"""

import argparse
import difflib
import os
import platform
import re
import shutil
import stat
import tempfile
import textwrap
import tomllib
from importlib import metadata
from pathlib import Path

from analysis import REPO_ROOT
from analysis.privacy import MASKED, file_name_identifier, mask_file_name
from analysis.problems import unusable_path_reason


class UsageError(Exception):
    """A problem with the user's input: printed as one message on stderr (wrapped at 80
    columns, :func:`analysis.formatting.wrapped`), exit code 2."""


COMMANDS = ["dose", "synthesize", "validate", "run", "audit", "ensemble"]


def file_path(text: str) -> Path:
    """An argparse ``type`` for a file argument: a :class:`~pathlib.Path`, refusing an empty
    text (an unset shell variable), which :class:`~pathlib.Path` would read as ``.``, the
    current folder, and a message would call a directory by the folder's name."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: empty, not a file name")
    return Path(text)


def output_file_path(text: str) -> Path:
    """An argparse ``type`` for an output file (``--out`` of ``synthesize`` and ``ensemble``):
    :func:`file_path`, and refusing a name that ends with a path separator, which names a
    folder: :class:`~pathlib.Path` drops the separator, so ``--out results/`` (a folder not yet
    made) wrote the cohort to a file named ``results``.

    Examples
    --------
    >>> output_file_path("/tmp/cohort.csv")
    PosixPath('/tmp/cohort.csv')
    >>> output_file_path("/tmp/results/")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: ends with '/', which names a folder: give the file's name (e.g. results/cohort.csv)
    """
    path = file_path(text)
    if text.rstrip().endswith(tuple(s for s in (os.sep, os.altsep) if s)):
        folder = path.name or "folder"
        raise argparse.ArgumentTypeError(
            f"ends with '{text.rstrip()[-1]}', which names a folder: give the file's name (e.g. "
            f"{shown_argument(folder)}/cohort.csv)"
        )
    return path


class StoreOnce(argparse._StoreAction):
    """An option that takes a value and may be given once: argparse keeps the last of
    ``--height-cm 170 --height-cm 180`` without a word, and a dose sheet for the other height, a
    report on the other cohort or into the other folder, is worse than an error. The same value
    twice is accepted (a repeated shell alias)."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_given_once", {})
        if self.dest in given and given[self.dest] != values:
            raise argparse.ArgumentError(self, "given twice with different values; give it once")
        given[self.dest] = values
        super().__call__(parser, namespace, values, option_string)


def store_once(parser: argparse.ArgumentParser) -> None:
    """Make every option of ``parser`` that stores one value a :class:`StoreOnce`."""
    for action in parser._actions:
        if type(action) is argparse._StoreAction and action.option_strings:
            action.__class__ = StoreOnce


#: The widest line of any ``--help``: an 80-column terminal, wider ones included.
HELP_COLUMNS = 80


def refill_paragraphs(text: str, width: int) -> str:
    """``text`` (a command's description or notes, as written in its module) with each
    paragraph filled to ``width`` columns: a paragraph is a run of lines that do not start with
    a blank; a blank line and an indented line (an example command, a list's continuation) are
    kept as they are, so an example stays one line to copy. The notes were wrapped by hand at
    about 90 columns and printed as written, so ``--help`` ran past an 80-column terminal.

    Examples
    --------
    >>> print(refill_paragraphs("one two three four five\\nsix\\n\\nexamples:\\n  cmd -x 1", 20))
    one two three four
    five six
    <BLANKLINE>
    examples:
      cmd -x 1
    >>> refill_paragraphs("see --out data/cohort.csv-file", 20)  # no break at a hyphen
    'see --out\\ndata/cohort.csv-file'
    """
    lines: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            lines.extend(
                textwrap.wrap(
                    " ".join(paragraph),
                    width=max(width, 20),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
            paragraph.clear()

    for line in text.splitlines():
        if not line.strip() or line[:1].isspace():
            flush()
            lines.append(line.rstrip())
        else:
            paragraph.append(line.strip())
    flush()
    return "\n".join(lines)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The ``--help`` of ``python -m analysis`` and its commands: at most :data:`HELP_COLUMNS`
    columns (fewer on a narrower terminal), the options wrapped by argparse and the description
    and notes by :func:`refill_paragraphs`, their examples kept one line each.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="x", description="word " * 40,
    ...                                  formatter_class=HelpFormatter)
    >>> max(len(line) for line in parser.format_help().splitlines()) <= HELP_COLUMNS
    True
    """

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            width = min(shutil.get_terminal_size().columns, HELP_COLUMNS) - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text, width, indent):
        return textwrap.indent(refill_paragraphs(text, width - len(indent)), indent)


#: The book's own folders: a generated CSV is never written into them (``run`` refuses its
#: reports there too), except at a command's own default path (data/cohort.csv …).
BOOK_FOLDERS = ("analysis", "chapters", "book", "data", "tests", "tools", "bench", ".git")


def book_path_problem(out: Path, allowed=()) -> str | None:
    """Why ``out`` may not receive a generated CSV, or None: a path inside one of the book's
    folders (:data:`BOOK_FOLDERS`) other than ``allowed``, or an existing file of the book's
    top folder that is not a CSV (README.md, Makefile, _config.yml): ``--force`` replaces a
    user's earlier output, never the book's sources or data dictionary."""
    try:
        path = Path(out).resolve()
        root = REPO_ROOT.resolve()
    except (OSError, RuntimeError):
        return None
    if path in {Path(a).resolve() for a in allowed} or root not in path.parents:
        return None
    parts = path.relative_to(root).parts
    if len(parts) > 1 and parts[0] in BOOK_FOLDERS:
        return f"is inside the book's {parts[0]}/ folder"
    if len(parts) == 1 and path.exists() and path.suffix.lower() != ".csv":
        return f"is the book's {parts[0]}"
    return None


def is_book_file(path, default: Path) -> bool:
    """Whether ``path`` is the book's own output file ``default`` (data/cohort.csv, the
    ensemble's summary), which a command regenerates without ``--force``: that file itself,
    not a symbolic link to it. A link of the user's (``/tmp/mine.csv`` pointing at
    data/cohort.csv) counted as the book's file, and the output written in one piece replaced
    the link with a file without ``--force``; beside the ensemble's summary the book's own Table
    2 files and run record were rewritten in data/ while the summary replaced the link.

    Examples
    --------
    >>> from analysis import COHORT_CSV
    >>> is_book_file(COHORT_CSV, COHORT_CSV), is_book_file("/tmp/other.csv", COHORT_CSV)
    (True, False)
    """
    path = Path(path)  # a loop of links raises, as resolve() does: the callers say so
    return path.resolve() == Path(default).resolve() and not path.is_symlink()


def refuse_unexpanded_home(flag: str, path) -> None:
    """Refuse a path that starts with ``~``: the shell did not expand it (it was quoted), so it
    would make a folder named ``~`` in the current one, which a later ``rm -rf ~`` meant for
    it would take the home directory with."""
    if str(path).startswith("~"):
        raise UsageError(
            f"{flag} {path}: starts with '~', which the shell did not expand (quoted?); give the "
            "path without quotes or in full"
        )


def refuse_special_file(flag: str, path: Path, nothing: str) -> None:
    """Refuse an output path that exists and is not a regular file (followed through links): a
    pipe, a device, a socket. The output is written beside it and renamed over it, so
    ``--out /dev/null --force`` run as root replaced the null device with a file of the cohort;
    ``--force`` replaces a user's earlier output, never such a file. An entry of ``/dev`` (a link
    there, ``/dev/stdout``, is replaced, not written through) is refused too."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # absent, a broken link (the callers say so), or a loop
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UsageError(f"{flag} {path}: not a regular file (a pipe or device); {nothing}")
    folder = os.path.realpath(Path(path).parent)
    if folder == "/dev" or folder.startswith("/dev/"):
        raise UsageError(f"{flag} {path}: is in /dev, the system's devices; {nothing}")


def existing_folder(flag: str, path: Path, shown=None) -> Path:
    """The nearest existing folder above ``path`` (which need not exist), where it will be
    made; :class:`UsageError` when a file is in the way or a link on the way is broken or a
    loop (``exists()`` says no, so the check passed and the write failed after the work)."""
    shown = path if shown is None else shown
    ancestor = Path(path)
    while not ancestor.exists() and ancestor != ancestor.parent:
        if os.path.lexists(ancestor):
            raise UsageError(
                f"{flag} {shown}: {ancestor} is a broken symbolic link (or a loop of them)"
            )
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageError(f"{flag} {shown}: {ancestor} is not a directory")
    return ancestor


def check_writable_folder(flag: str, folder: Path, shown, nothing: str) -> None:
    """Refuse (one line) a folder no file can be created in. The only reliable test (root,
    read-only mounts, /proc) is to create one: a temporary file is made there and removed at
    once. ``nothing`` ends the message ("nothing was written")."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".haic-probe-")
    except OSError as exc:
        raise UsageError(
            f"{flag} {shown}: cannot write in {folder} ({exc.strerror or exc}); {nothing}"
        ) from None
    os.close(fd)
    Path(tmp).unlink(missing_ok=True)


def unusable_path(flag: str, exc: Exception, nothing: str) -> UsageError:
    """The one-line error for a path the system cannot use: a name too long (OSError), a loop
    of symbolic links (pathlib's RuntimeError, or ELOOP)."""
    return UsageError(f"{flag}: not a usable path ({unusable_path_reason(exc)}); {nothing}")


#: The distribution the package is installed as (pyproject.toml's ``[project] name``).
DISTRIBUTION = "hien2024-haic-book"
#: The libraries whose versions change the numbers (the cohort's bytes, the chapters' results):
#: named by ``--version`` beside Python's, read from the installed metadata (nothing imported).
VERSION_LIBRARIES = (("NumPy", "numpy"), ("SciPy", "scipy"), ("pandas", "pandas"))


def package_version() -> str:
    """The package's version: the source checkout's ``pyproject.toml`` when the package runs
    from one (``PYTHONPATH=.``, an editable install), else the installed metadata, else
    ``"unknown"``. The checkout comes first: with ``PYTHONPATH`` set, the installed metadata
    may be another checkout's.

    Examples
    --------
    >>> import re
    >>> bool(re.fullmatch(r"[0-9]+(\\.[0-9]+)*\\S*|unknown", package_version()))
    True
    """
    try:
        with open(REPO_ROOT / "pyproject.toml", "rb") as fh:
            project = tomllib.load(fh).get("project", {})
        if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
            return project["version"]
    except (OSError, ValueError, AttributeError):  # installed without it, or unreadable
        pass
    return _installed_version(DISTRIBUTION) or "unknown"


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except (metadata.PackageNotFoundError, ValueError, OSError):
        return None


def version_line() -> str:
    """What ``python -m analysis --version`` prints: one line, the package's name and version
    first (``analysis 0.1.0``, as scripts split it), then the distribution, Python's version and
    those of the libraries the numbers depend on (:data:`VERSION_LIBRARIES`).

    Examples
    --------
    >>> version_line().startswith(f"analysis {package_version()} ({DISTRIBUTION}; Python ")
    True
    """
    parts = [f"Python {platform.python_version()}"]
    for label, distribution in VERSION_LIBRARIES:
        version = _installed_version(distribution)
        if version is not None:
            parts.append(f"{label} {version}")
    return f"analysis {package_version()} ({DISTRIBUTION}; {', '.join(parts)})"


#: Longest command-line word an error message repeats (then cut, with its length).
SHOWN_ARGUMENT = 40

#: Longest command-line word a command's own refusal repeats whole (:func:`scrubbed`; a path
#: longer than :data:`SHOWN_ARGUMENT` is still shown whole up to this length).
ECHO_LIMIT = 200

#: A server's address with no path (``tcp://127.0.0.1:8786``, ``--scheduler``): repeated as
#: typed, as the reader must see which server did not answer. An address with a path is read
#: as a file name (its last part may name someone).
NETWORK_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9.\-\[\]:]+/?")


def shown_argument(text: str) -> str:
    """A word of the command line as an error message repeats it: non-printable characters
    escaped, cut after :data:`SHOWN_ARGUMENT` characters, and masked (its extension kept) when it
    holds a direct identifier, as a file name given in the wrong place may
    (``python -m analysis Nguyen_Van_An.csv``).

    Examples
    --------
    >>> shown_argument("synthesise"), shown_argument("John_Smith.csv")
    ('synthesise', '[masked].csv')
    >>> shown_argument("850101-1234567"), shown_argument("120000000")
    ('[masked]', '120000000')
    >>> shown_argument("tcp://127.0.0.1:1"), shown_argument("tcp://host/John_Smith.csv")
    ('tcp://127.0.0.1:1', '[masked].csv')
    >>> shown_argument("x" * 50)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (50 characters)'
    """
    text = str(text)
    if NETWORK_ADDRESS.fullmatch(text):  # a server's address, not a file's name: shown
        return text
    name = os.path.basename(text.rstrip("/")) or text
    try:  # as in a file name, a long number or a date is no identifier: a typo of zeros shows
        held = file_name_identifier(name) or file_name_identifier(text)
    except (ValueError, TypeError, RecursionError):  # never let a message fail
        held = "unknown"
    if held:
        return mask_file_name(name)
    shown = text if len(text) <= SHOWN_ARGUMENT else text[:SHOWN_ARGUMENT]
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in shown)
    return shown if len(text) <= SHOWN_ARGUMENT else f"{shown}… ({len(text)} characters)"


def scrubbed(message: str, words) -> str:
    """``message`` with every word of ``words`` (the command line) that holds an identifier
    replaced as :func:`shown_argument` shows it: a command's refusal repeats what it refuses
    (``--check 'John Smith' matches no check name``, ``chapter '850101-1234567' not found``).

    Examples
    --------
    >>> scrubbed("--check 'John Smith' matches no check name", ["audit", "--check", "John Smith"])
    "--check '[masked]' matches no check name"
    >>> scrubbed("-p confidence_level=John Smith: a number", ["-p", "confidence_level=John Smith"])
    '-p confidence_level=[masked]: a number'
    >>> scrubbed("--out reports/x: exists", ["run", "--out", "reports/x"])
    '--out reports/x: exists'

    A word longer than :data:`ECHO_LIMIT` characters (a pasted file, not a name) is cut as
    :func:`shown_argument` cuts it; a long path below that is repeated whole:

    >>> scrubbed(f"-p {'x' * 300}: no chapter has it", ["-p", f"{'x' * 300}=3"])[:61]
    '-p xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (300 characters)'
    """
    words = {str(w) for w in words}
    words |= {part for w in words for part in w.split("=")}  # -p key=value, --check=text
    for word in sorted(words, key=len, reverse=True):
        if len(word) < 3 or word not in message:
            continue
        shown = shown_argument(word)
        if shown.startswith(MASKED) or len(word) > ECHO_LIMIT:
            message = message.replace(word, shown)
    return message


def closest(word: str, choices) -> str | None:
    """The one of ``choices`` closest to a mistyped ``word`` (:func:`difflib.get_close_matches`,
    letter case ignored), or None when none is close.

    Examples
    --------
    >>> closest("synthesise", COMMANDS), closest("valdate", COMMANDS), closest("rnu", COMMANDS)
    ('synthesize', 'validate', 'run')
    >>> closest("--verdcit", ["--verdict", "--check", "--format"]), closest("xyz", COMMANDS)
    ('--verdict', None)
    """
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def unknown_command(word: str, commands=COMMANDS) -> str:
    """The error for a command that is none of ``commands``: the closest one suggested, a file
    (``python -m analysis my_cohort.csv``) pointed to ``validate``.

    Examples
    --------
    >>> unknown_command("synthesise")
    "unknown command 'synthesise'; did you mean 'synthesize'?"
    >>> unknown_command("syn")  # cut short
    "unknown command 'syn'; did you mean 'synthesize'?"
    >>> unknown_command("my_cohort.csv")
    "unknown command 'my_cohort.csv'; to check it: python -m analysis validate my_cohort.csv"
    >>> unknown_command("xyz")
    "unknown command 'xyz' (commands: dose, synthesize, validate, run, audit, ensemble)"
    """
    name = shown_argument(word)
    shown = f"unknown command '{name}'"
    match = closest(word, commands) if len(str(word)) <= SHOWN_ARGUMENT else None
    starting = [c for c in commands if c.startswith(str(word).lower())]
    if len(str(word)) >= 2 and len(starting) == 1:  # a command cut short (options may be)
        match = starting[0]
    if match is not None:
        return f"{shown}; did you mean '{match}'?"
    if Path(str(word)).suffix or os.sep in str(word):
        if name != str(word) or any(ch.isspace() or ch in "'\"$`\\" for ch in name):
            name = "FILE"  # masked, cut or in need of quotes: not a line to copy
        return f"{shown}; to check it: python -m analysis validate {name}"
    return f"{shown} (commands: {', '.join(commands)})"


def mistyped_options(words, options) -> list[tuple[str, str]]:
    """``(word, option)`` for each word of ``words`` that looks like an option (``-n``,
    ``--fromat=csv``) and is none of ``options`` but close to one of their long forms.

    Examples
    --------
    >>> mistyped_options(["-n", "5", "--seed", "--fromat=csv"], ["--n", "--seed", "--format"])
    [('-n', '--n'), ('--fromat', '--format')]
    """
    options = list(options)
    long = [o for o in options if o.startswith("--")]
    pairs = []
    for word in words:
        if word.startswith("-") and word != "-" and len(word) <= SHOWN_ARGUMENT:
            name = word.split("=", 1)[0]
            match = closest(name, long) if name not in options else None
            if match is not None and match != name:
                pairs.append((name, match))
    return pairs


def unrecognized(extra: list[str], options) -> str:
    """The error for words of the command line no option takes: each shown as
    :func:`shown_argument` does, and for an unknown option the closest of ``options``.

    Examples
    --------
    >>> unrecognized(["--verdcit", "x"], ["-h", "--help", "--verdict", "--format"])
    'unrecognized arguments: --verdcit x; did you mean --verdict?'
    >>> unrecognized(["--fromat=csv", "--chek"], ["--check", "--format"])
    'unrecognized arguments: --fromat=csv --chek; did you mean --format (for --fromat), --check (for --chek)?'
    """
    pairs = mistyped_options(extra, options)
    text = "unrecognized arguments: " + " ".join(shown_argument(w) for w in extra)
    if len(pairs) == 1:
        return f"{text}; did you mean {pairs[0][1]}?"
    if pairs:
        return f"{text}; did you mean " + ", ".join(f"{m} (for {n})" for n, m in pairs) + "?"
    return text
