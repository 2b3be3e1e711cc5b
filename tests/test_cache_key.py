"""The execution cache is keyed on the analysis modules and data files a chapter uses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def deps(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "analysis_deps", ROOT / "book/_ext/analysis_deps.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pkg = tmp_path / "analysis"
    (pkg / "cli").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "cli" / "__init__.py").write_text("")
    (pkg / "survival.py").write_text("from analysis import fastsurv\nimport numpy\n")
    (pkg / "fastsurv.py").write_text("X = 1\n")
    (pkg / "clinical.py").write_text("from .cohort import load\n")
    (pkg / "cohort.py").write_text("def load(): pass\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cohort.csv").write_text("a\n1\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "PACKAGE", pkg)
    monkeypatch.setattr(module, "DATA", tmp_path / "data")
    return module, tmp_path


def test_closure_follows_imports_transitively(deps):
    module, root = deps
    files = module.module_closure("from analysis.survival import median_survival\n")
    names = sorted(p.relative_to(root).as_posix() for p in files)
    assert names == ["analysis/__init__.py", "analysis/fastsurv.py", "analysis/survival.py"]


def test_relative_imports_and_package_form(deps):
    module, root = deps
    files = module.module_closure("from analysis import clinical\n")
    names = sorted(p.relative_to(root).as_posix() for p in files)
    assert names == ["analysis/__init__.py", "analysis/clinical.py", "analysis/cohort.py"]


def test_key_changes_only_with_used_files(deps):
    module, root = deps
    text = "from analysis.clinical import bsa\n"
    key, _ = module.dependency_key(text)
    (root / "analysis" / "fastsurv.py").write_text("X = 2\n")  # not used by this chapter
    assert module.dependency_key(text)[0] == key
    (root / "analysis" / "cohort.py").write_text("def load(): return 1\n")  # used, transitively
    changed, _ = module.dependency_key(text)
    assert changed != key
    (root / "data" / "cohort.csv").write_text("a\n2\n")  # data is used by every chapter
    assert module.dependency_key(text)[0] != changed


def _fake_app() -> tuple:
    """A stand-in for Sphinx's application, with the dependencies its environment notes."""
    noted: list[str] = []

    class Env:
        def note_dependency(self, path):
            noted.append(path)

    class App:
        env = Env()

    return App, noted


def test_source_read_appends_hidden_keyed_cell(deps):
    module, _ = deps
    App, noted = _fake_app()
    source = ["```{code-cell} ipython3\nfrom analysis.survival import x\n```\n"]
    module._on_source_read(App(), "chapters/06-survival", source)
    assert source[0].count("{code-cell}") == 2
    assert ":tags: [remove-cell]" in source[0]
    assert "dependency key of analysis/ and data/: " in source[0]
    assert any(p.endswith("survival.py") for p in noted)
    plain = ["# A page without code\n"]
    module._on_source_read(App(), "book/glossary", plain)
    assert plain == ["# A page without code\n"]


def test_a_module_named_only_in_a_docstring_or_comment_is_no_dependency(deps):
    """``make bench``: an edit to analysis/audit.py re-executed all eleven pages, because every
    chapter's closure reached a module whose docstrings name ``analysis.audit``; only chapters 2
    and 8 import it. The closure now reads imports from the syntax tree."""
    module, root = deps
    (root / "analysis" / "cohort.py").write_text(
        '"""See :func:`analysis.fastsurv.X` and from analysis import fastsurv."""\n'
        "# analysis.fastsurv is named here too\n"
        "def load(): return 'analysis.fastsurv'\n"
    )
    files = module.module_closure("from analysis.clinical import bsa\n")
    names = sorted(p.relative_to(root).as_posix() for p in files)
    assert names == ["analysis/__init__.py", "analysis/clinical.py", "analysis/cohort.py"]


def test_a_chapter_is_read_by_its_code_cells_not_its_prose(deps):
    module, root = deps
    chapter = (
        "# Survival\n\nThe engine is `analysis.clinical` ({func}`analysis.cohort.load`).\n\n"
        "```{code-cell} ipython3\n:tags: [hide-input]\n%matplotlib inline\n"
        "from analysis import survival\n```\n\n"
        "```{code-cell} ipython3\n---\ntags: [remove-cell]\n---\nimport analysis.fastsurv\n```\n"
    )
    names = sorted(p.relative_to(root).as_posix() for p in module.module_closure(chapter))
    assert names == ["analysis/__init__.py", "analysis/fastsurv.py", "analysis/survival.py"]


def test_code_that_does_not_parse_falls_back_to_the_names_it_mentions(deps):
    module, root = deps
    chapter = "```{code-cell} ipython3\nfrom analysis import clinical\nif (:\n```\n"
    names = sorted(p.relative_to(root).as_posix() for p in module.module_closure(chapter))
    assert names == ["analysis/__init__.py", "analysis/clinical.py", "analysis/cohort.py"]


def test_what_the_package_init_imports_is_followed(deps):
    module, root = deps
    (root / "analysis" / "__init__.py").write_text("from analysis import fastsurv\n")
    names = {
        p.relative_to(root).as_posix()
        for p in module.module_closure("from analysis.clinical import bsa\n")
    }
    assert "analysis/fastsurv.py" in names


def test_subpackage_relative_imports_resolve_inside_it(deps):
    module, root = deps
    cli = root / "analysis" / "cli"
    (cli / "run.py").write_text("from . import common\nfrom ..clinical import x\n")
    (cli / "common.py").write_text("X = 1\n")
    names = sorted(
        p.relative_to(root).as_posix() for p in module.module_closure("import analysis.cli.run\n")
    )
    assert names == [
        "analysis/__init__.py", "analysis/cli/__init__.py", "analysis/cli/common.py",
        "analysis/cli/run.py", "analysis/clinical.py", "analysis/cohort.py",
    ]  # fmt: skip


def test_the_books_chapters_need_audit_only_where_they_import_it():
    """On the book itself: analysis/audit.py is in the closure of chapters 2 and 8 only."""
    spec = importlib.util.spec_from_file_location(
        "analysis_deps", ROOT / "book/_ext/analysis_deps.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    users = sorted(
        md.stem
        for md in (ROOT / "chapters").glob("[0-9][0-9]-*.md")
        if ROOT / "analysis" / "audit.py" in module.module_closure(md.read_text(encoding="utf-8"))
    )
    assert users == ["02-eligibility", "08-audit"]


def _closure_names(module, root, text):
    return sorted(p.relative_to(root).as_posix() for p in module.module_closure(text))


def test_hostile_review_imports_are_found(deps):
    """A hostile review of the syntax-tree reading: each of these imports a module, and each
    was missed (an IPython line, a module named by a string, the package under another name,
    a bare import of the package, a cell fenced with tildes or four backticks)."""
    module, root = deps
    init = "analysis/__init__.py"
    fast = ["analysis/__init__.py", "analysis/fastsurv.py"]
    cell = "```{code-cell} ipython3\n%s\n```\n"
    assert _closure_names(module, root, cell % "%time from analysis.fastsurv import X") == fast
    assert _closure_names(module, root, "importlib.import_module('analysis.fastsurv')\n") == fast
    assert _closure_names(module, root, "runpy.run_module('analysis.fastsurv')\n") == fast
    assert _closure_names(module, root, "import analysis as pkg\npkg.fastsurv.X\n") == fast
    late = "x = pkg.fastsurv.X\n\ndef f():\n    import analysis as pkg\n"  # bound after its use
    assert _closure_names(module, root, late) == fast
    assert _closure_names(module, root, "import analysis\n") == [init]
    for fence in ("~~~", "````"):
        text = f"{fence}{{code-cell}} ipython3\nfrom analysis import fastsurv\n{fence}\n"
        assert _closure_names(module, root, text) == fast, fence
    # a line of three backticks with more on it does not end a cell
    text = 'Prose.\n\n```{code-cell} ipython3\nx = """\n```python\n"""\nimport analysis.fastsurv\n```\n'
    assert _closure_names(module, root, text) == fast
    # a null byte: the text fallback, not an exception
    assert _closure_names(module, root, "from analysis import fastsurv\n\0\n") == fast


def test_a_cell_that_runs_the_command_line_depends_on_it(deps):
    module, root = deps
    (root / "analysis" / "__main__.py").write_text("from analysis import fastsurv\n")
    cell = "```{code-cell} ipython3\n%s\n```\n"
    ran = _closure_names(module, root, cell % "!python -m analysis validate data/cohort.csv")
    assert "analysis/__main__.py" in ran and "analysis/fastsurv.py" in ran
    started = "import subprocess\nsubprocess.run(['python', '-m', 'analysis', 'audit'])"
    assert "analysis/__main__.py" in _closure_names(module, root, cell % started)
    # a cell that only prints the command runs none of it
    printed = "from analysis import clinical\nprint('python -m analysis run --cohort x.csv')"
    assert "analysis/__main__.py" not in _closure_names(module, root, cell % printed)


def test_a_page_reading_every_chapters_parameters_is_keyed_on_them(deps, monkeypatch):
    """Chapter 10 prints every chapter's -p parameters (runner.parameter_table): its key follows
    each chapter's parameters cell, and every chapter file is a dependency of it (found by a
    hostile review: an edited default left chapter 10's table stale)."""
    module, root = deps
    chapters = root / "chapters"
    chapters.mkdir()
    monkeypatch.setattr(module, "CHAPTERS", chapters)
    other = chapters / "05-response.md"
    params = "```{code-cell} ipython3\n:tags: [parameters]\nconfidence_level = 0.95\n```\n"
    other.write_text("# Response\n\n" + params)
    page = "```{code-cell} ipython3\nfrom analysis.runner import parameter_table\n```\n"
    key, files = module.dependency_key(page)
    assert other in files
    other.write_text("# Response, retitled\n\nNew prose.\n\n" + params)
    assert module.dependency_key(page)[0] == key  # prose: re-read, not re-executed
    other.write_text("# Response\n\n" + params.replace("0.95", "0.9"))
    assert module.dependency_key(page)[0] != key
    plain = "```{code-cell} ipython3\nfrom analysis import clinical\n```\n"
    assert other not in module.dependency_key(plain)[1]


def test_a_data_file_added_since_a_page_was_read_outdates_it(deps):
    module, root = deps
    App, _ = _fake_app()
    source = ["```{code-cell} ipython3\nfrom analysis.survival import x\n```\n"]
    module._on_source_read(App(), "chapters/06-survival", source)
    assert module._on_outdated(App(), App.env, set(), set(), set()) == []
    (root / "data" / "published.yaml").write_text("a: 1\n")
    assert module._on_outdated(App(), App.env, set(), set(), set()) == ["chapters/06-survival"]
    module._on_purge(App(), App.env, "chapters/06-survival")
    assert module._on_outdated(App(), App.env, set(), set(), set()) == []
