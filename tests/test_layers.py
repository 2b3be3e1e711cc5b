"""The package's layering contract (DESIGN.md): layers import downward only.

``lint-imports`` checks the contracts in ``.importlinter`` (layers, and libraries the lower layers
must not use); grimp reads every import, including those inside functions. The other tests check
what a layers contract cannot: no import cycle anywhere (also inside one layer), no import of the
package hidden inside a function, no private ``_name`` taken from another module (chapters
included), and no ``except ImportError`` fallback that silently switches a rule off.
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "analysis"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _tree(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once for a given text: the checks below read every source
    of the package (about 0.8 CPU-s to parse them all), four times over; an edited file is a new
    text, parsed again. The checks only read the trees."""
    return _parsed(str(path), path.read_text(encoding="utf-8"))


@functools.cache
def _parsed(filename: str, text: str) -> ast.Module:
    return ast.parse(text, filename=filename)


def _imported_module(node: ast.ImportFrom, current: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def test_import_linter_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert exe, "import-linter is not installed (requirements.txt pins it)"
    result = subprocess.run(
        [exe, "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_import_cycles():
    graph = grimp.build_graph("analysis")
    modules = sorted(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in modules}
    # a package's __init__ importing its own submodules is not a cycle of design
    for m in modules:
        edges[m] = {e for e in edges[m] if not e.startswith(m + ".")}
    cycles = [
        f"{m} -> {dep} -> ... -> {m}"
        for m in modules
        for dep in sorted(edges[m])
        if graph.chain_exists(importer=dep, imported=m)
    ]
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles)))


def _function_level_package_imports(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    current, is_pkg = _module_name(path, root), path.name == "__init__.py"

    def visit(node, inside_function: bool):
        if isinstance(node, ast.If):
            test = node.test
            if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
            ):
                return
        if inside_function:
            if isinstance(node, ast.ImportFrom):
                target = _imported_module(node, current, is_pkg)
                if target.split(".")[0] == "analysis":
                    found.append(f"{path.relative_to(root)}:{node.lineno} imports {target}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "analysis":
                        where = f"{path.relative_to(root)}:{node.lineno}"
                        found.append(f"{where} imports {alias.name}")
        inner = inside_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(_tree(path), False)
    return found


def test_no_package_imports_hidden_inside_functions():
    hidden = [hit for path in SOURCES for hit in _function_level_package_imports(path)]
    assert not hidden, "import at module level instead:\n" + "\n".join(hidden)


def _private_attributes_of_modules(path, current: str, is_pkg: bool) -> list[str]:
    """``module._name`` where ``module`` is another of the package's modules imported by name
    (``from analysis import privacy`` then ``privacy._fold``): a private name used across
    modules as much as one imported."""
    tree = _tree(path)
    modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _imported_module(node, current, is_pkg)
            if target.split(".")[0] != "analysis":
                continue
            for alias in node.names:
                name = f"{target}.{alias.name}"
                if (ROOT / (name.replace(".", "/") + ".py")).exists() and name != current:
                    modules[alias.asname or alias.name] = name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("analysis.") and alias.asname:
                    modules[alias.asname] = alias.name
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} uses {modules[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def test_no_private_names_imported_across_modules():
    bad = []
    for path in SOURCES:
        current, is_pkg = _module_name(path), path.name == "__init__.py"
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom):
                target = _imported_module(node, current, is_pkg)
                if target.split(".")[0] != "analysis" or target == current:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno} takes {alias.name}")
        bad += _private_attributes_of_modules(path, current, is_pkg)
    statement = re.compile(r"from\s+(analysis[\w.]*)\s+import\s+\(?([^\n)]+)")
    for chapter in sorted((ROOT / "chapters").glob("*.md")):
        for m in statement.finditer(chapter.read_text(encoding="utf-8")):
            for name in re.split(r"[,\s]+", m.group(2)):
                if name.startswith("_") and not name.startswith("__"):
                    bad.append(f"{chapter.name} takes {name} from {m.group(1)}")
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_error_fallbacks(path):
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            assert not {"ImportError", "ModuleNotFoundError"} & set(names), (
                f"{path.relative_to(ROOT)}:{node.lineno}: an import that may fail silently "
                "switches a rule off; import it unconditionally"
            )


def test_the_hidden_import_check_sees_one(tmp_path):
    """The AST check itself: a function-level package import is found, a TYPE_CHECKING one not."""
    probe = tmp_path / "analysis" / "probe.py"
    probe.parent.mkdir()
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from analysis import cohort\n"
        "def f():\n    from .tables import table1\n    return table1\n",
        encoding="utf-8",
    )
    hits = _function_level_package_imports(probe, tmp_path)
    assert hits == ["analysis/probe.py:5 imports analysis.tables"]
