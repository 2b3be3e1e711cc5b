"""Regenerate the golden executed notebooks that nbval compares against.

For each ``chapters/NN-topic.md`` (or the names given): convert with jupytext, execute with
nbclient in ``chapters/``, replace what nbval must not compare byte for byte (images, glued
images, embedded image payloads; see tests/sanitize.cfg) and execution timings, and write ``chapters/NN-topic.ipynb`` deterministically.

Usage: python tools/goldens.py [NN-topic ...]
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from analysis.numerics import merged_streams, numbered_cells

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
GLUED = "application/papermill.record/"
DATA_URI = re.compile(r"data:image/[\w+.-]+;base64,[A-Za-z0-9+/=]+")


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove images and volatile metadata so the golden file is small and deterministic."""
    numbered_cells(nb)  # jupytext makes random ids: same inputs, same bytes
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = merged_streams(cell.get("outputs", []))
        for output in cell.outputs:
            data = output.get("data")
            if not data:
                continue
            for mime in IMAGE_MIMES:
                data.pop(mime, None)  # nbval skips these keys
                # glued images (myst-nb stores them under papermill.record/<mime>) are compared
                # by nbval, so they stay, as a placeholder the sanitizer also produces
                if f"{GLUED}{mime}" in data:
                    data[f"{GLUED}{mime}"] = "BASE64-IMAGE"
            for key in ("text/html", f"{GLUED}text/html"):
                if key in data:
                    html = data[key]
                    text = "".join(html) if isinstance(html, list) else html
                    data[key] = DATA_URI.sub("DATA-URI-IMAGE", text)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    return nb


def golden(name: str) -> Path:
    md = CHAPTERS / f"{name}.md"
    nb = jupytext.read(md)
    nb.metadata.pop("jupytext", None)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(CHAPTERS)}}
    ).execute()
    out = md.with_suffix(".ipynb")
    nbformat.write(strip(nb), out)
    return out


def main(names: list[str]) -> int:
    names = names or sorted(p.stem for p in CHAPTERS.glob("[0-9][0-9]-*.md"))
    for name in names:
        start = time.perf_counter()
        out = golden(name.removesuffix(".md"))
        print(f"{out.relative_to(ROOT)}  {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
