"""What each chapter reads from the cohort (:data:`analysis.cohort.CHAPTER_NEEDS`, chapter 10's
"what each chapter needs" table), derived from the chapters' code.

Static, and fast (about a second): for a chapter, the schema's column names written as strings
in its code cells, and in every function, class and module-level constant of ``analysis`` that
its code reaches, following names from one definition to the next (``bias.multivariable_design``
→ ``paper.design_matrix`` → ``paper.TERMS``, whose terms name their columns). Running the
chapters instead, on a cohort without each optional column in turn, takes minutes.

What is not followed, and why:

- ``load_cohort`` validates every column of the file: reading a column to check it is not
  needing it. A chapter that never loads a cohort reads none (08-audit).
- ``derive`` adds columns computed from others; a name it adds stands for the columns it is
  computed from (:data:`DERIVED`; :func:`test_derived_columns_are_mapped` keeps the map whole).
- ``analysis.labels`` names columns for display; ``analysis.synthesis`` and
  ``analysis.calibration`` build and score the book's own cohort (chapter 7 calls them only when
  the cohort is the book's). Chapter 1, which presents the generator and its calibration, reads
  every column: for it they are followed.

The one place where following names reaches more than a chapter reads is :data:`OVERREACH`.
A column built into a name at run time (``f"{w}_months"``) is not seen: chapter 1 does that,
and its row is every column anyway.
"""

from __future__ import annotations

import ast
import functools

import jupytext
import pytest

from analysis import REPO_ROOT, paper
from analysis.cohort import CHAPTER_NEEDS, SCHEMA, chapter_needs, derive, load_cohort

CHAPTERS = REPO_ROOT / "chapters"
NAMES = frozenset(SCHEMA.names)

#: The columns :func:`analysis.cohort.derive` adds, each with the columns it is computed from.
DERIVED = {
    "child_pugh_class": ("child_pugh_score",),
    "albi_score": ("bilirubin_mg_dl", "albumin_g_dl"),
    "albi_grade": ("bilirubin_mg_dl", "albumin_g_dl"),
    "prior_tace_group": ("prior_tace_sessions",),
    "disease_control": ("best_response",),
    "objective_response": ("best_response",),
}
LOAD = ("analysis.cohort", "load_cohort")
#: ``analysis.runner._user_cohort_note`` (from the parameters' check every chapter calls) looks
#: up :data:`analysis.cohort.CHAPTER_NEEDS` only to tell whether a chapter reads the cohort at
#: all: it reads no column, but following it would add every column of the table.
LEAVES = {LOAD, ("analysis.cohort", "derive"), ("analysis.runner", "_user_cohort_note")}
NOT_READING = {"analysis.labels", "analysis.synthesis", "analysis.calibration"}

#: Columns the name-following reaches but the chapter does not read: chapter 9 builds the
#: paper's multivariable model with ``paper.design_matrix``, which could build every row of
#: Table 2 but is asked for the multivariable terms only.
_MULTIVARIABLE = {t.column for t in paper.TERMS if t.multivariable} | {"bilirubin_mg_dl"}
#: Chapter 7's patients (deaths) per group (``tables.table2_group_counts``) build Table 1 to
#: hide what its shown cells would give back; Table 1's refractory rows (optional columns, absent
#: rows where a cohort lacks them) play no part in a Table 2 group.
_TABLE1_ONLY = {
    "refractory_extrahepatic", "refractory_new_lesions", "refractory_poor_response",
    "refractory_tace_sessions", "refractory_tumor_marker", "refractory_vascular_invasion",
}  # fmt: skip
OVERREACH = {
    "09-bias": {t.column for t in paper.TERMS} - _MULTIVARIABLE,
    "07-cox": _TABLE1_ONLY,
}


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _is_module(dotted: str) -> bool:
    path = REPO_ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, None) for a module of the package, (module, name) for a name."""
    out: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out[alias.asname or alias.name] = (
                    (sub, None) if _is_module(sub) else (node.module, alias.name)
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "analysis":
                    out[alias.asname or alias.name] = (alias.name, None)
    return out


def _refs(node: ast.AST, module: str, defined, imports) -> tuple[set[str], set[tuple[str, str]]]:
    """The columns a piece of code names, and the definitions of the package it refers to."""
    columns: set[str] = set()
    refs: set[tuple[str, str]] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            if n.value in NAMES:
                columns.add(n.value)
            columns.update(DERIVED.get(n.value, ()))
        elif isinstance(n, ast.Name):
            if n.id in defined:
                refs.add((module, n.id))
            elif imports.get(n.id, (None, None))[1] is not None:
                refs.add(imports[n.id])
        elif isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
            target = imports.get(n.value.id)
            if target and target[1] is None:
                refs.add((target[0], n.attr))
    return columns, refs


@functools.cache
def _definitions(module: str) -> dict[str, tuple[set[str], set[tuple[str, str]]]]:
    """Each top-level name of a module: the columns its definition names, what it refers to."""
    path = REPO_ROOT.joinpath(*module.split("."))
    path = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path / "__init__.py"
    tree = _without_docstrings(ast.parse(path.read_text(encoding="utf-8")))
    nodes: dict[str, list[ast.AST]] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nodes.setdefault(statement.name, []).append(statement)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        nodes.setdefault(n.id, []).append(statement)
    imports = _imports(tree)
    out = {}
    for name, statements in nodes.items():
        columns, refs = set(), set()
        for statement in statements:
            c, r = _refs(statement, module, nodes, imports)
            columns |= c
            refs |= r
        out[name] = (columns, refs)
    return out


@functools.cache
def _chapter_code(stem: str) -> ast.Module:
    notebook = jupytext.read(CHAPTERS / f"{stem}.md")
    return ast.parse("\n".join(c.source for c in notebook.cells if c.cell_type == "code"))


def read_columns(stem: str) -> set[str]:
    """The columns chapter ``stem`` reads, as its code and the code it reaches name them."""
    tree = _chapter_code(stem)
    columns, todo = _refs(tree, "<chapter>", (), _imports(tree))
    if LOAD not in todo:
        return set()
    skip = set() if stem == "01-data" else NOT_READING
    seen: set[tuple[str, str]] = set()
    todo = list(todo)
    while todo:
        ref = todo.pop()
        if ref in seen or ref in LEAVES or ref[0] in skip or ref[0] == "analysis.labels":
            continue
        seen.add(ref)
        found = _definitions(ref[0]).get(ref[1])
        if found:
            columns |= found[0]
            todo.extend(found[1])
    return columns


def _stems() -> list[str]:
    return sorted(p.stem for p in CHAPTERS.glob("[0-9][0-9]-*.md"))


def test_every_chapter_but_the_last_has_a_row():
    """Chapter 10 is the one that prints the table: the others have a row each."""
    assert set(CHAPTER_NEEDS) == set(_stems()) - {"10-your-cohort"}


@pytest.mark.parametrize("stem", sorted(CHAPTER_NEEDS))
def test_chapter_needs_what_its_code_reads(stem):
    found = read_columns(stem) - OVERREACH.get(stem, set())
    listed = set(CHAPTER_NEEDS[stem])
    assert len(listed) == len(CHAPTER_NEEDS[stem]), f"{stem}: a column listed twice"
    assert found == listed, (
        f"{stem}: read but not in CHAPTER_NEEDS: {sorted(found - listed)}; "
        f"in CHAPTER_NEEDS but not read: {sorted(listed - found)}"
    )


def test_overreach_is_still_reached_and_not_listed():
    """An exception that no longer applies is removed, not kept."""
    for stem, columns in OVERREACH.items():
        assert columns <= read_columns(stem) and not columns & set(CHAPTER_NEEDS[stem])


def test_derived_columns_are_mapped():
    cohort = load_cohort().head(3)
    assert set(derive(cohort).columns) - set(cohort.columns) == set(DERIVED)


def test_eligibility_needs_the_refractory_sessions():
    """Chapter 2's JSH table and rules need refractory_tace_sessions: without it the whole
    table reads "Not available"; Table 10.4 listed it for chapter 4 only."""
    table = chapter_needs(c for c in SCHEMA.names if c != "refractory_tace_sessions")
    row = table.set_index("chapter").loc["02-eligibility"]
    assert "refractory_tace_sessions" in row["optional columns"].split(", ")
    assert "refractory_tace_sessions" in row["absent from this cohort"].split(", ")
    assert "prior_tace_sessions" not in row["required columns"].split(", ")
