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
read from the code's syntax tree (import statements, and ``analysis.x`` attributes in code), not
from its text: a module named in a docstring or a comment (``:func:`analysis.audit.…```) is no
dependency. Before, such mentions put every module in every chapter's closure, so an edit to
``analysis/audit.py``, which two chapters import, re-executed all eleven pages. Code that does not
parse (an IPython magic the cell's lines hide, say) falls back to the names its text mentions.
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "analysis"
DATA = ROOT / "data"

# the text fallback: ``analysis.x``, ``from analysis import a, b`` (also in parentheses over
# lines), ``from .x import …``
_DOTTED = re.compile(r"\banalysis\.(\w+)")
_FROM_PKG = re.compile(r"from[ \t]+analysis[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")
_FROM_REL = re.compile(r"from[ \t]+\.(\w*)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")
# a MyST code cell's body (its first line names the cell; the body ends at the closing fence)
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def _module_path(name: str) -> Path | None:
    """The file of the module ``name`` (dotted, relative to the package: ``cli.run``)."""
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
    return found


def _with_parents(name: str) -> set[str]:
    """``a.b.c`` and the packages an import of it runs: ``a``, ``a.b``."""
    parts = name.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def _tree_names(tree: ast.AST, package: str) -> set[str]:
    """Module names (relative to ``analysis``) that the code imports or reaches as
    ``analysis.x``; ``package``: the package of the module the code is in ("" at the top)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head, _, rest = alias.name.partition(".")
                if head == "analysis" and rest:
                    found |= _with_parents(rest)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "analysis" or (node.module or "").startswith("analysis."):
                module = node.module.partition(".")[2]
            else:
                continue
            if module:
                found |= _with_parents(module)
            # a name imported from a package may be a module of it
            found |= {f"{module}.{a.name}" if module else a.name for a in node.names}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "analysis"
        ):
            found.add(node.attr)
    return found


def _code_names(code: str, package: str = "") -> set[str]:
    try:
        return _tree_names(ast.parse(code), package)
    except SyntaxError:
        return _text_names(code)


def _cell_code(body: str) -> str:
    """A code cell's Python: without its options (``:tags: …`` lines or a ``---`` block) and
    with IPython's ``%`` and ``!`` lines as ``pass``."""
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1 :]
    while lines and lines[0].startswith(":"):
        lines = lines[1:]
    return "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def _names(text: str) -> set[str]:
    """Module names a chapter's code cells import (or, for Python source, the code's)."""
    cells = _CELL.findall(text)
    if not cells:
        return _code_names(text)
    found: set[str] = set()
    for body in cells:
        found |= _code_names(_cell_code(body))
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
        path = PACKAGE / "__init__.py" if name == "" else _module_path(name)
        if path is None or not path.is_file():
            continue
        seen[name] = path
        code = path.read_text(encoding="utf-8")
        todo.extend(sorted(_code_names(code, _package_of(name, path)) - set(seen)))
    return sorted(set(seen.values()))


def data_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file())


def dependency_key(text: str) -> tuple[str, list[Path]]:
    files = module_closure(text) + data_files()
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16], files


def _on_source_read(app, docname: str, source: list[str]) -> None:
    if "{code-cell}" not in source[0]:  # only executed pages
        return
    key, files = dependency_key(source[0])
    for path in files:
        app.env.note_dependency(str(path))
    source[0] = (
        source[0].rstrip("\n")
        + "\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n"
        + f"# dependency key of analysis/ and data/: {key}\n```\n"
    )


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
