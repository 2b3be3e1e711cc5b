"""Key each chapter's execution on the ``analysis`` modules and ``data/`` files it uses.

jupyter-cache keys a notebook on its code cells only, and Sphinx re-reads a page only when its
source changes. So a change to ``analysis/survival.py`` or ``data/cohort.csv`` would otherwise
leave stale results in the book. On ``source-read`` for every executed page (chapters and the intro) this
extension

1. finds the ``analysis`` modules the chapter's code cells import, and transitively the modules
   those import (and those ``analysis/__init__.py`` imports, which every import runs);
2. registers them and every file under ``data/`` as Sphinx dependencies of the page (so the page
   is re-read when one of them changes), and
3. appends a hidden code cell holding a hash of their contents (so the execution cache misses
   and the chapter is re-executed).

Chapters that do not use a changed module are neither re-read nor re-executed. The imports are
read from the code's syntax tree (import statements, ``analysis.x`` attributes of the package
under any name it is imported as, and modules named to ``importlib.import_module``,
``runpy.run_module`` or ``__import__``), not from its text: a module named in a docstring or a
comment (``:func:`analysis.audit.…```) is no dependency. Before, such mentions put every module in
every chapter's closure, so an edit to ``analysis/audit.py``, which two chapters import,
re-executed all eleven pages. Code that does not parse falls back to the names its text
mentions, and so do IPython's ``%`` and ``!`` lines (``%time from analysis.x import y``); a cell
that runs ``python -m analysis`` (a ``!`` line, or code that starts a process) depends on
``analysis/__main__.py`` and what it imports. (Only a page's cells are read so: the package's
messages name the command, and none of its modules runs it; a module that came to would need the
same rule.)

Two inputs are not modules:

- A page whose code reads the chapters' parameters cells (:func:`analysis.runner.parameter_table`,
  ``discover_chapters``, ``chapter_defaults``, ``CHAPTERS_DIR``: chapter 10's table of every
  ``-p`` parameter) depends on every chapter's file: its key holds each chapter's parameters
  cell, so an edit there re-executes it, and an edit elsewhere in a chapter re-reads it only.
- A file added under ``data/`` was no dependency of any page when the page was read, so Sphinx
  would not re-read it: the listing of ``data/`` is kept per page, and a page read under another
  listing is outdated (``env-get-outdated``).
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "analysis"
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"

# the text fallback: ``analysis.x``, ``from analysis import a, b`` (also in parentheses over
# lines), ``from .x import …``
_DOTTED = re.compile(r"\banalysis\.(\w+)")
_FROM_PKG = re.compile(r"from[ \t]+analysis[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")
_FROM_REL = re.compile(r"from[ \t]+\.(\w*)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")
# a MyST code cell: its opening fence (three or more backticks or tildes) names the cell; the body
# ends at a line holding a fence of the same character, at least as long, and nothing else
_CELL = re.compile(
    r"^(?P<fence>`{3,}|~{3,})\{code-cell\}[^\n]*\n(?P<body>.*?)^(?P=fence)[`~]*[ \t]*$",
    re.S | re.M,
)
# functions that import a module named by a string
_IMPORTERS = {"import_module", "run_module", "__import__"}
# code that starts the command line (``python -m analysis``, as a string or a shell line)
_COMMAND = re.compile(r"-m[\s\"',]+analysis\b")
# what starts a process in Python code
_RUNNERS = re.compile(r"\b(?:subprocess|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*)\b")
# names of analysis.runner whose calls read every chapter's parameters cell
_CHAPTER_READERS = re.compile(
    r"\b(?:discover_chapters|parameter_table|chapter_defaults|CHAPTERS_DIR)\b"
)


def _module_path(name: str) -> Path | None:
    """The file of the module ``name`` (dotted, relative to the package: ``cli.run``; "" is the
    package itself)."""
    if not name:
        return PACKAGE / "__init__.py"
    base = PACKAGE.joinpath(*name.split("."))
    for candidate in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _split(group: str) -> set[str]:
    return {n.split(" as ")[0].strip() for n in group.split(",") if n.strip()}


def _text_names(text: str) -> set[str]:
    """Every module name the text mentions (the fallback for code that does not parse)."""
    found = set(_DOTTED.findall(text))
    for paren, plain in _FROM_PKG.findall(text):
        found.update(_split(paren or plain))
    for mod, paren, plain in _FROM_REL.findall(text):
        found.update({mod} if mod else _split(paren or plain))
    if re.search(r"\bimport[ \t]+analysis\b", text):
        found.add("")
    return found


def _with_parents(name: str) -> set[str]:
    """``a.b.c`` and the packages an import of it runs: ``a``, ``a.b``."""
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def _dotted(name: str) -> set[str]:
    """Module names (relative to ``analysis``) of the absolute module name ``name``."""
    head, _, rest = name.partition(".")
    if head != "analysis":
        return set()
    return (_with_parents(rest) | {""}) if rest else {""}


def _tree_names(tree: ast.AST, package: str) -> set[str]:
    """Module names (relative to ``analysis``; "" the package) that the code imports or reaches
    as attributes of the package; ``package``: the package of the module the code is in (""
    at the top)."""
    found: set[str] = set()
    # names the package itself is bound to, wherever the code binds them
    aliases = {"analysis"} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "analysis" and alias.asname
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found |= _dotted(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    continue  # beyond the top of the package: no module of it
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "analysis" or (node.module or "").startswith("analysis."):
                module = node.module.partition(".")[2]
            else:
                continue
            found |= (_with_parents(module) | {""}) if module else {""}
            # a name imported from a package may be a module of it
            found |= {f"{module}.{a.name}" if module else a.name for a in node.names}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.add(node.attr)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if (
                called in _IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found |= _dotted(first.value)
    return found


def _code_names(code: str, package: str = "") -> set[str]:
    try:
        return _tree_names(ast.parse(code), package)
    except (SyntaxError, ValueError):  # ValueError: a null byte
        return _text_names(code)


def _split_cell(body: str) -> tuple[str, str]:
    """A code cell's options (``:tags: …`` lines or a ``---`` block) and its code."""
    lines = body.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), -1) + 1
    while start < len(lines) and lines[start].startswith(":"):
        start += 1
    return "\n".join(lines[:start]), "\n".join(lines[start:])


def _cell_names(body: str) -> set[str]:
    """Module names of a code cell: its Python, with IPython's ``%`` and ``!`` lines read as
    ``pass`` and, in case they run code (``%time from analysis.x import y``), by their text."""
    code = _split_cell(body)[1].split("\n")
    magic = [line for line in code if line.lstrip().startswith(("%", "!"))]
    python = "\n".join("pass" if line in magic else line for line in code)
    found = _code_names(python)
    for line in magic:
        found |= _text_names(line)
    # the command run from a shell line, or by a process the cell starts (a cell that only
    # prints the command, as chapters 1 and 9 do, runs none of it)
    runs = magic + ([python] if _RUNNERS.search(python) else [])
    if any(_COMMAND.search(line) for line in runs):
        found.add("__main__")
    return found


def _cells(text: str) -> list[str]:
    return [m.group("body") for m in _CELL.finditer(text)]


def _names(text: str) -> set[str]:
    """Module names a chapter's code cells import (or, for Python source, the code's)."""
    cells = _cells(text)
    if not cells:
        return _code_names(text)
    found: set[str] = set()
    for body in cells:
        found |= _cell_names(body)
    return found


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def module_closure(text: str) -> list[Path]:
    """Files of the ``analysis`` modules that ``text`` (a chapter's MyST source, or Python code)
    imports, transitively, sorted; with ``analysis/__init__.py`` and what it imports."""
    seen: dict[str, Path] = {}
    todo = sorted(_names(text))
    if todo:
        todo.append("")  # the package itself: every import of a module of it runs it first
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_path(name)
        if path is None or not path.is_file():
            continue
        seen[name] = path
        code = path.read_text(encoding="utf-8")
        todo.extend(sorted(_code_names(code, _package_of(name, path)) - set(seen)))
    return sorted(set(seen.values()))


def data_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file())


def data_listing() -> str:
    """A hash of the names of the files under ``data/`` (a file added or removed changes it)."""
    names = "\0".join(str(p.relative_to(ROOT)) for p in data_files())
    return hashlib.sha256(names.encode()).hexdigest()[:16]


def reads_chapters(text: str) -> bool:
    """Whether a page's code reads the chapters' parameters cells (:mod:`analysis.runner`)."""
    return any(_CHAPTER_READERS.search(_split_cell(body)[1]) for body in _cells(text))


def chapter_files() -> list[Path]:
    return sorted(CHAPTERS.glob("[0-9][0-9]-*.md"))


def parameters_cell(path: Path) -> str:
    """The code of a chapter's cell tagged ``parameters`` ("" when it has none)."""
    for body in _cells(path.read_text(encoding="utf-8")):
        options, code = _split_cell(body)
        if re.search(r"\bparameters\b", options):
            return code
    return ""


def dependency_key(text: str) -> tuple[str, list[Path]]:
    """The page's key and the files it depends on (modules, data, and for a page that reads the
    chapters' parameters, the chapters' files: their parameters cells go into the key)."""
    files = module_closure(text) + data_files()
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    if reads_chapters(text):
        chapters = chapter_files()
        for path in chapters:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(b"\0")
            digest.update(parameters_cell(path).encode())
        files = files + chapters
    return digest.hexdigest()[:16], files


def _listings(env) -> dict:
    """The listing of ``data/`` each executed page was read under (kept in the environment)."""
    if not hasattr(env, "analysis_deps_listing"):
        env.analysis_deps_listing = {}
    return env.analysis_deps_listing


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if "{code-cell}" not in source[0]:  # only executed pages
        return
    key, files = dependency_key(source[0])
    for path in files:
        app.env.note_dependency(str(path))
    _listings(app.env)[docname] = data_listing()
    source[0] = (
        source[0].rstrip("\n")
        + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + f"# dependency key of analysis/ and data/: {key}\n```\n"
    )


def _on_outdated(app, env, added, changed, removed) -> list[str]:
    """Executed pages read under another listing of ``data/`` (a file added since)."""
    now = data_listing()
    return sorted(doc for doc, seen in _listings(env).items() if seen != now and doc not in removed)


def _on_purge(app, env, docname: str) -> None:
    _listings(env).pop(docname, None)


def _on_merge(app, env, docnames, other) -> None:
    theirs = _listings(other)
    _listings(env).update({doc: theirs[doc] for doc in docnames if doc in theirs})


def setup(app):
    app.connect("source-read", _on_source_read)
    app.connect("env-get-outdated", _on_outdated)
    app.connect("env-purge-doc", _on_purge)
    app.connect("env-merge-info", _on_merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
