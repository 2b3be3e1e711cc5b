"""tools/precompile.py: the modules set-up compiles (``pip install --no-compile``, Makefile)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRECOMPILE = runpy.run_path(str(ROOT / "tools" / "precompile.py"))


def test_every_listed_module_exists_once():
    """A misspelt name would be skipped silently at set-up (its modules then compiled by the
    first test that imports them): each name is a module of the venv, listed once."""
    names = [n for group in PRECOMPILE["GROUPS"].values() for n in group]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    missing = [n for n in names if not _found(n)]
    assert not missing, missing


def _found(name: str) -> bool:
    """Whether ``name`` is a module of the venv, found without importing it or its parents."""
    top, *parts = name.split(".")
    spec = importlib.util.find_spec(top)
    for part in parts:
        if spec is None or spec.submodule_search_locations is None:
            return False
        spec = importlib.machinery.PathFinder.find_spec(part, spec.submodule_search_locations)
    return spec is not None


def test_a_module_that_fails_to_import_is_named_and_not_fatal(capsys, monkeypatch):
    monkeypatch.setitem(PRECOMPILE["GROUPS"], "a", ("no_such_module_here",))
    assert PRECOMPILE["main"](["a"]) == 0
    assert "precompile: no_such_module_here not imported (ModuleNotFoundError)" in (
        capsys.readouterr().err
    )


def test_set_up_installs_without_compiling_and_then_precompiles_both_groups():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [ln for ln in make.splitlines() if "pip install" in ln and "lock-" in ln]
    assert len(installs) == 2 and all("--no-compile" in ln for ln in installs), installs
    assert "tools/precompile.py a &" in make and "tools/precompile.py b" in make
