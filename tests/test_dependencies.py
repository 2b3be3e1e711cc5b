"""pyproject.toml declares what the package imports; requirements.txt is the exact, complete lock.

Checked from the files themselves (and the installed distributions' metadata for the dependency
graph): every third-party module ``analysis`` imports is a declared runtime dependency; every
declared requirement (runtime and extras) is pinned in the lock at a version inside its range;
every pin is needed by something declared (the closure of "requires" from pyproject.toml's
dependencies and extras, plus the build backend), so the lock holds no unused pins.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
BUILD = PROJECT["build-system"]["requires"] + ["wheel"]  # what `pip install -e .` builds with
DEPENDENCIES = [Requirement(r) for r in PROJECT["project"]["dependencies"]]
EXTRAS = {
    name: [Requirement(r) for r in reqs if not r.startswith(PROJECT["project"]["name"])]
    for name, reqs in PROJECT["project"]["optional-dependencies"].items()
}


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version
    return pins


def _third_party_imports() -> set[str]:
    names = set()
    for path in (ROOT / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("analysis",)}


def test_every_imported_library_is_a_declared_dependency():
    providers = md.packages_distributions()
    declared = {canonicalize_name(r.name) for r in DEPENDENCIES}
    missing = []
    for module in sorted(_third_party_imports()):
        dists = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing.append(f"{module} (from {', '.join(sorted(dists))})")
    assert not missing, "analysis imports undeclared libraries: " + "; ".join(missing)


def test_every_declared_requirement_is_pinned_inside_its_range():
    pins = _lock()
    bad = []
    for req in DEPENDENCIES + [r for reqs in EXTRAS.values() for r in reqs]:
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            bad.append(f"{req.name}: not in requirements.txt")
        elif not req.specifier.contains(version, prereleases=True):
            bad.append(f"{req.name}=={version} outside {req.specifier}")
    assert not bad, "; ".join(bad)


def test_the_lock_has_no_unused_pins_and_misses_nothing():
    pins = _lock()
    needed: set[str] = set()
    todo = [(Requirement(r) if isinstance(r, str) else r) for r in BUILD]
    todo += DEPENDENCIES + [r for reqs in EXTRAS.values() for r in reqs]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        key = (name, tuple(sorted(req.extras)))
        if key in needed:
            continue
        needed.add(key)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            continue  # reported below as a pin that is missing
        envs = [{"extra": e} for e in ("", *req.extras)]
        for text in dist.requires or []:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append(sub)
    names = {n for n, _ in needed}
    unused = sorted(set(pins) - names)
    unpinned = sorted(names - set(pins) - {"pip"})
    assert not unused, f"requirements.txt pins what nothing declared needs: {unused}"
    assert not unpinned, f"requirements.txt misses what the declared packages need: {unpinned}"


def test_lock_halves_split_the_lock_evenly(tmp_path):
    """``make setup`` installs the lock as two halves side by side (tools/lock_halves.py): each
    pin in exactly one half, in lock order; the weighed packages all pinned (a stale table is
    caught); the halves' work within the largest single weight of each other, and the four
    heaviest not all in one half; the same lock gives the same bytes."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import lock_halves
    finally:
        sys.path.pop(0)
    lock = ROOT / "requirements.txt"
    pins = [x.strip() for x in lock.read_text(encoding="utf-8").splitlines() if x[:1].isalnum()]
    names = {lock_halves._name(p) for p in pins}
    assert set(lock_halves.WEIGHT) <= names
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert lock_halves.main([str(lock), str(a), str(b)]) == 0
    half_a, half_b = a.read_text().splitlines(), b.read_text().splitlines()
    assert sorted(half_a + half_b) == sorted(pins) and not set(half_a) & set(half_b)
    assert half_a == [p for p in pins if p in half_a] and half_b == [p for p in pins if p in half_b]

    def work(half):
        return sum(lock_halves.WEIGHT.get(lock_halves._name(p), 1) for p in half)

    assert abs(work(half_a) - work(half_b)) <= max(lock_halves.WEIGHT.values())
    heaviest = sorted(lock_halves.WEIGHT, key=lock_halves.WEIGHT.get)[-4:]
    assert {lock_halves._name(p) for p in half_a} & set(heaviest)
    assert {lock_halves._name(p) for p in half_b} & set(heaviest)
    again = tmp_path / "a2.txt"
    lock_halves.main([str(lock), str(again), str(tmp_path / "b2.txt")])
    assert again.read_bytes() == a.read_bytes()
