"""The golden notebooks that nbval compares against stay in step with their chapters."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


def _toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = []
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_every_toc_chapter_has_a_source_and_a_golden():
    chapters = [f for f in _toc_files() if f.startswith("chapters/")]
    for entry in chapters:
        assert (ROOT / f"{entry}.md").is_file(), f"{entry}.md listed in _toc.yml is missing"
        assert (ROOT / f"{entry}.ipynb").is_file(), f"{entry}.ipynb golden missing: make goldens"


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_golden_inputs_match_markdown(md: Path):
    golden = md.with_suffix(".ipynb")
    assert golden.is_file(), f"no golden notebook for {md.name}: run `make goldens NAME={md.stem}`"
    expected = _cells(jupytext.read(md))
    actual = _cells(nbformat.read(golden, as_version=4))
    assert actual == expected, (
        f"{golden.name} inputs drifted from {md.name}: run `make goldens NAME={md.stem}`"
    )


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_golden_has_text_outputs_to_compare(md: Path):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    texts = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" or "text/plain" in o.get("data", {})
    ]
    assert len(texts) >= 3, f"{md.name}: golden has only {len(texts)} text outputs for nbval"
    glued_png = "application/papermill.record/image/png"
    images = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
        or o.get("data", {}).get(glued_png, "BASE64-IMAGE") != "BASE64-IMAGE"
    ]
    assert not images, f"{md.name}: golden keeps images; regenerate with `make goldens`"


@pytest.mark.parametrize("md", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_has_parameters_cell_with_cohort_path(md: Path):
    nb = jupytext.read(md)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{md.name}: expected one cell tagged parameters, found {len(tagged)}"
    assert "cohort_path" in tagged[0].source, f"{md.name}: parameters cell lacks cohort_path"
