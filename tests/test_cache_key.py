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


def test_source_read_appends_hidden_keyed_cell(deps):
    module, _ = deps
    noted = []

    class Env:
        def note_dependency(self, path):
            noted.append(path)

    class App:
        env = Env()

    source = ["```{code-cell} ipython3\nfrom analysis.survival import x\n```\n"]
    module._on_source_read(App(), "chapters/06-survival", source)
    assert source[0].count("{code-cell}") == 2
    assert ":tags: [remove-cell]" in source[0]
    assert "dependency key of analysis/ and data/: " in source[0]
    assert any(p.endswith("survival.py") for p in noted)
    plain = ["# A page without code\n"]
    module._on_source_read(App(), "book/glossary", plain)
    assert plain == ["# A page without code\n"]
