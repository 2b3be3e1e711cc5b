"""Execute one chapter with papermill into reports/dev/ (for authors; never writes chapters/).

Usage: python tools/run_chapter.py 05-response [-p key value ...]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import jupytext
import papermill

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: run_chapter.py NN-topic [-p key value ...]", file=sys.stderr)
        return 2
    name = argv[0].removesuffix(".md")
    md = ROOT / "chapters" / f"{name}.md"
    if not md.is_file():
        print(f"error: no chapter {md.relative_to(ROOT)}", file=sys.stderr)
        return 2
    params: dict[str, str] = {}
    rest = argv[1:]
    while rest:
        if rest[0] != "-p" or len(rest) < 3:
            print("error: parameters are given as -p key value", file=sys.stderr)
            return 2
        params[rest[1]] = rest[2]
        rest = rest[3:]
    out_dir = ROOT / "reports" / "dev"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.ipynb"
        jupytext.write(jupytext.read(md), src)
        out = out_dir / f"{name}.ipynb"
        papermill.execute_notebook(
            str(src), str(out), parameters=params, cwd=str(ROOT / "chapters"), progress_bar=True
        )
    print(f"executed: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
