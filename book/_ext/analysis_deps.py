"""Key each chapter's execution on the ``analysis`` modules and ``data/`` files it uses.

jupyter-cache keys a notebook on its code cells only, and Sphinx re-reads a page only when its
source changes. So a change to ``analysis/survival.py`` or ``data/cohort.csv`` would otherwise
leave stale results in the book. On ``source-read`` for every executed page (chapters and the intro) this
extension

1. finds the ``analysis`` modules the chapter imports, and transitively the modules those import;
2. registers them and every file under ``data/`` as Sphinx dependencies of the page (so the page
   is re-read when one of them changes), and
3. appends a hidden code cell holding a hash of their contents (so the execution cache misses
   and the chapter is re-executed).

Chapters that do not use a changed module are neither re-read nor re-executed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "analysis"
DATA = ROOT / "data"

_DOTTED = re.compile(r"\banalysis\.(\w+)")
# ``from analysis import a, b`` on one line, or ``from analysis import (a,\n b)``.
_FROM_PKG = re.compile(r"from[ \t]+analysis[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")
_FROM_REL = re.compile(r"from[ \t]+\.(\w*)[ \t]+import[ \t]+(?:\(([\w\s,]+)\)|([\w \t,]+))")


def _module_path(name: str) -> Path | None:
    for candidate in (PACKAGE / f"{name}.py", PACKAGE / name / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _split(group: str) -> set[str]:
    return {n.split(" as ")[0].strip() for n in group.split(",") if n.strip()}


def _names(text: str) -> set[str]:
    found = set(_DOTTED.findall(text))
    for paren, plain in _FROM_PKG.findall(text):
        found.update(_split(paren or plain))
    for mod, paren, plain in _FROM_REL.findall(text):
        found.update({mod} if mod else _split(paren or plain))
    return found


def module_closure(text: str) -> list[Path]:
    """Files of the ``analysis`` modules that ``text`` imports, transitively, sorted."""
    seen: dict[str, Path] = {}
    todo = sorted(_names(text))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_path(name)
        if path is None:
            continue
        seen[name] = path
        todo.extend(sorted(_names(path.read_text(encoding="utf-8")) - set(seen)))
    files = set(seen.values())
    if files:
        files.add(PACKAGE / "__init__.py")
    return sorted(files)


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
