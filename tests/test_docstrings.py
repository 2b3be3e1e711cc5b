"""Every public function and class has a doctested numpydoc *Examples* section.

**Public** means documented on the API pages (``book/api.md`` and one page per module in
``book/api/``): for every module named there by an
``automodule`` directive, the names autodoc renders (the module's ``__all__``; for a module without
``__all__``, every function and class defined in it whose name has no leading underscore) together
with the names of the page's ``autosummary`` list for that module. Of those, functions and classes
count (constants do not); a class counts by its class docstring. A name a module re-exports from
another (``analysis.cohort.CohortError``) is the same object and is counted once.

The examples themselves run as doctests (``pytest --doctest-modules analysis`` in ``make test``);
this test checks that they exist, that numpydoc parses every docstring on the page, and that each
Examples section has at least one ``>>>`` line. It also checks that the page leaves nothing out:
every module of the package has a section, and every function or class of the package that a
chapter's code uses (``book.glue_text``, ``plots.km_plot``, ``from analysis.x import y``) is on it.

The functions of the design card's Public API (``DESIGN.md``) and every public function of
``analysis.survival`` and ``analysis.clinical`` must also pass numpydoc's validation of their
Parameters and Returns sections (each parameter documented and described, a described Returns
section, sections in numpydoc's order).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import warnings
from pathlib import Path

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

ROOT = Path(__file__).resolve().parents[1]
API_PAGES = [ROOT / "book" / "api.md", *sorted((ROOT / "book" / "api").glob("*.md"))]


def _api_text() -> str:
    """The API pages' sources, one after the other."""
    return "\n".join(p.read_text(encoding="utf-8") for p in API_PAGES)


CHAPTERS = ROOT / "chapters"
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", flags=re.M | re.S)


def _api_modules(text: str) -> list[str]:
    return re.findall(r"^\.\. automodule:: (\S+)", text, flags=re.M)


def _autosummary(text: str, module: str) -> list[str]:
    block = re.search(
        rf"^\.\. currentmodule:: {re.escape(module)}\n\n\.\. autosummary::\n\n(.*?)\n```",
        text,
        flags=re.M | re.S,
    )
    return block.group(1).split() if block else []


def public_objects() -> dict[str, object]:
    """``{"module.name": object}`` for every public function and class, each object once."""
    text = _api_text()
    found: dict[str, object] = {}
    seen: set[int] = set()
    for module_name in _api_modules(text):
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [
                n
                for n, o in vars(module).items()
                if not n.startswith("_")
                and (inspect.isfunction(o) or inspect.isclass(o))
                and o.__module__ == module_name
            ]
        names = list(names) + [n for n in _autosummary(text, module_name) if n not in names]
        for name in names:
            obj = getattr(module, name)  # an autosummary name that is missing fails here
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or id(obj) in seen:
                continue
            seen.add(id(obj))
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


PUBLIC = public_objects()


def _examples(obj: object) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpydoc's own notes on unknown sections are not ours
        doc = (
            ClassDoc(obj, config={"show_class_members": False})
            if inspect.isclass(obj)
            else FunctionDoc(obj)
        )
    return "\n".join(doc["Examples"])


def test_api_page_lists_modules():
    assert len(_api_modules(_api_text())) >= 22
    assert len(PUBLIC) > 250


def test_every_module_of_the_package_has_a_section():
    """Each ``analysis/<name>.py`` (not ``__main__``; the ``cli`` package is the command line)."""
    documented = set(_api_modules(_api_text()))
    modules = {f"analysis.{p.stem}" for p in (ROOT / "analysis").glob("*.py")} - {
        "analysis.__init__",
        "analysis.__main__",
    }
    assert sorted(modules - documented) == []


def _chapter_uses(md: Path) -> dict[str, object]:
    """``{"book.glue_text": function, "load_cohort": function, …}``: the package's objects a
    chapter's code cells name, through ``from analysis import module`` (then ``module.name``)
    or ``from analysis.module import name``."""
    trees = []
    for cell in _CODE_CELL.findall(md.read_text(encoding="utf-8")):
        lines = [ln for ln in cell.splitlines() if not ln.lstrip().startswith(("%", "!", ":"))]
        trees.append(ast.parse("\n".join(lines)))
    imported: dict[str, object] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
                module = importlib.import_module(node.module)
                for alias in node.names:
                    imported[alias.asname or alias.name] = getattr(module, alias.name)
    used: dict[str, object] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in imported:
                used[node.id] = imported[node.id]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and inspect.ismodule(imported.get(node.value.id))
            ):
                obj = getattr(imported[node.value.id], node.attr, None)
                used[f"{node.value.id}.{node.attr}"] = obj
    return {
        name: obj
        for name, obj in used.items()
        if (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__.split(".")[0] == "analysis"
    }


def test_what_the_chapters_call_is_on_the_api_page():
    documented = {id(obj) for obj in PUBLIC.values()}
    missing, seen = [], 0
    for md in sorted(CHAPTERS.glob("[0-9][0-9]-*.md")):
        for name, obj in _chapter_uses(md).items():
            seen += 1
            if id(obj) not in documented:
                missing.append(f"{md.stem}: {name} ({obj.__module__}.{obj.__qualname__})")
    assert seen > 50  # the parser finds the chapters' calls
    assert missing == []


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_object_has_doctested_examples(qualname):
    obj = PUBLIC[qualname]
    assert obj.__doc__, f"{qualname} has no docstring"
    examples = _examples(obj)
    assert examples, f"{qualname}: no numpydoc 'Examples' section"
    assert re.search(r"^\s*>>> ", examples, flags=re.M), (
        f"{qualname}: its Examples section has no '>>>' line"
    )


def test_count_of_public_objects_with_examples(capsys):
    with_examples = 0
    for obj in PUBLIC.values():
        examples = _examples(obj)
        with_examples += bool(re.search(r"^\s*>>> ", examples, flags=re.M))
    with capsys.disabled():
        print(
            f"\n{with_examples} of {len(PUBLIC)} public functions and classes have a doctested Examples section"
        )
    assert with_examples == len(PUBLIC)


def test_every_api_page_is_in_the_table_of_contents():
    """A page of ``book/api/`` left out of ``_toc.yml`` would not be built
    (``only_build_toc_files``): its module would vanish from the book without an error."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"file: (book/api/\w+)", toc))
    pages = {f"book/api/{p.stem}" for p in API_PAGES[1:]}
    assert pages and pages == listed


# ------------------------------------------------------- numpydoc sections of the public API
DESIGN = ROOT / "DESIGN.md"
#: numpydoc.validate codes a public function's docstring must not raise: every parameter
#: documented (PR01, PR02) with a description (PR07), a Returns section (RT01) with a
#: description (RT03), sections in numpydoc's order (GL07)
_SECTION_CODES = ("PR01", "PR02", "PR07", "RT01", "RT03", "GL07")


def _design_api_names() -> list[str]:
    """``analysis.module.name`` for every name the design card's Public API block imports."""
    block = DESIGN.read_text(encoding="utf-8").split("## Public API", 1)[1].split("```")[1]
    names = []
    for module, imported in re.findall(r"^from (analysis\.\w+) import (.+)$", block, flags=re.M):
        names += [f"{module}.{name.strip()}" for name in imported.split(",")]
    return names


def _section_errors(qualname: str) -> list[str]:
    from numpydoc.validate import validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        errors = validate(qualname)["errors"]
    return [f"{code} {message}" for code, message in errors if code in _SECTION_CODES]


_DESIGN_FUNCTIONS = [
    n
    for n in _design_api_names()
    if inspect.isfunction(
        getattr(importlib.import_module(n.rsplit(".", 1)[0]), n.rsplit(".", 1)[1])
    )
]
_SURVIVAL_CLINICAL = [
    f"{m}.{n}"
    for m in ("analysis.survival", "analysis.clinical")
    for n in importlib.import_module(m).__all__
    if inspect.isfunction(getattr(importlib.import_module(m), n))
]


def test_design_card_names_are_found():
    names = _design_api_names()
    assert "analysis.survival.logrank" in names and "analysis.clinical.mrecist" in names
    assert len(_DESIGN_FUNCTIONS) >= 14


@pytest.mark.parametrize("qualname", sorted(set(_DESIGN_FUNCTIONS) | set(_SURVIVAL_CLINICAL)))
def test_public_function_has_parameters_and_returns(qualname):
    """The design card's public API and every public function of ``analysis.survival`` and
    ``analysis.clinical``: full numpydoc Parameters and Returns sections."""
    assert _section_errors(qualname) == []
