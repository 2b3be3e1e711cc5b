"""Re-execute the book's chapters on a cohort into a self-contained report directory.

:func:`run_book` is what ``python -m analysis run`` (and ``make chapter`` / ``make report``)
calls. For a cohort and an output directory ``reports/NAME`` it

1. validates the cohort with :func:`analysis.cohort.load_cohort` (every problem listed at once;
   nothing is written when it fails);
2. converts each ``chapters/NN-*.md`` (sorted by name) to a notebook in memory with jupytext;
3. executes it with papermill, working directory ``chapters/``, with the parameters
   ``cohort_path`` (the cohort's absolute path) and any ``-p key=value`` given, each value
   parsed as a YAML scalar (``-p min_cell_count=10`` gives an int, ``-p ci=log-log`` a str);
4. writes the executed notebook ``NN-x.ipynb`` and an HTML rendering ``NN-x.html`` per chapter,
   plus ``index.html`` (what to open) and ``report.json`` (what was run, on which cohort);
5. does all of this in a hidden temporary directory next to the target
   (``reports/.NAME.partial-*``) and renames it to ``reports/NAME`` only when every chapter has
   succeeded.

Guarantees
----------
* A directory ``reports/NAME`` is always a complete report: it appears in one rename, at the end.
* An existing report is replaced only with ``force=True`` (again in one rename; the old one is
  deleted afterwards).
* When a chapter fails, the partial output is renamed to ``reports/NAME.failed/`` (replacing an
  older one) with ``FAILED.txt`` naming the chapter and the cell, and the executed notebooks so
  far (the failing one shows the error in place) — the ``.failed`` suffix says it is not a
  report. A later successful run of the same NAME deletes it. On an interruption (Ctrl-C) or an
  unexpected error the partial directory is deleted.
* Nothing is ever written into ``chapters/`` or ``data/``: an output directory inside them is
  refused.
* Outputs are deterministic: the per-cell timings that papermill records are removed from the
  notebooks, and the HTML carries no timestamps.
"""

from __future__ import annotations

import hashlib
import html
import json
import keyword
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml

from analysis import DATA_DIR, REPO_ROOT

__all__ = [
    "CHAPTERS_DIR",
    "RunnerError",
    "ChapterFailed",
    "ChapterRun",
    "BookRun",
    "parse_parameters",
    "discover_chapters",
    "run_book",
]

#: Default directory of the chapters.
CHAPTERS_DIR = REPO_ROOT / "chapters"

_CHAPTER_GLOB = "[0-9][0-9]-*.md"


class RunnerError(Exception):
    """A problem with the request (parameters, chapters, output directory): nothing was written."""


class ChapterFailed(Exception):
    """A chapter raised an exception while executing.

    Attributes
    ----------
    chapter : str
        The chapter's name (``06-survival``).
    cell : int
        1-based number of the failing code cell in the chapter's ``.md`` (papermill's injected
        parameters cell not counted).
    line : int or None
        The line of the ``.md`` where that cell's code starts.
    error : str
        ``ExceptionName: message`` as raised in the kernel.
    failed_dir : pathlib.Path
        ``reports/NAME.failed``: the executed notebooks so far and ``FAILED.txt``.
    """

    def __init__(self, chapter: str, cell: int, line: int | None, error: str, failed_dir: Path):
        self.chapter, self.cell, self.line, self.error = chapter, cell, line, error
        self.failed_dir = failed_dir
        where = f"chapters/{chapter}.md line {line}" if line else f"chapters/{chapter}.md"
        super().__init__(
            f"chapter {chapter} failed in code cell {cell} ({where}): {error}; "
            f"no report written; partial output in {failed_dir}"
        )


@dataclass
class ChapterRun:
    """One executed chapter: its name, files (relative to the report) and wall time."""

    name: str
    notebook: str
    html: str
    seconds: float


@dataclass
class BookRun:
    """The result of :func:`run_book`."""

    out: Path
    cohort: str
    chapters: list[ChapterRun] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def index(self) -> Path:
        """The page to open: ``<out>/index.html``."""
        return self.out / "index.html"

    def summary(self) -> str:
        """A few lines for the terminal: chapters run, time taken, what to open."""
        names = ", ".join(c.name for c in self.chapters)
        return (
            f"ran {len(self.chapters)} chapter{'s' if len(self.chapters) != 1 else ''} "
            f"({names}) on {self.cohort} in {self.seconds:.1f} s\n"
            f"open {self.index}"
        )


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------
def parse_parameters(items: list[str] | None) -> dict:
    """Parse ``key=value`` strings; values are YAML scalars (``10`` → int, ``true`` → bool).

    Raises
    ------
    RunnerError
        For an item without ``=``, a key that is not a Python identifier, a value that is not a
        scalar, a repeated key, or ``cohort_path`` (given by ``--cohort``).
    """
    params: dict = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise RunnerError(f"parameter {item!r}: expected key=value")
        if not key.isidentifier() or keyword.iskeyword(key):
            raise RunnerError(f"parameter {item!r}: {key!r} is not a valid Python name")
        if key == "cohort_path":
            raise RunnerError("parameter cohort_path: give the cohort with --cohort instead")
        if key in params:
            raise RunnerError(f"parameter {key!r} given twice")
        try:
            parsed = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            parsed = value
        if isinstance(parsed, dict | list):
            raise RunnerError(f"parameter {item!r}: only single values (numbers, text, true/false)")
        params[key] = parsed
    return params


def discover_chapters(chapters_dir: Path | str = CHAPTERS_DIR, selection=None) -> list[Path]:
    """The chapters to run: ``NN-*.md`` files of ``chapters_dir``, sorted by name.

    Parameters
    ----------
    chapters_dir : path-like
        Where the chapters are.
    selection : str or list of str, optional
        Chapter names (``06-survival``) or numbers (``06``), as a list or comma-separated;
        default all. The run keeps the book's order whatever the order given.

    Raises
    ------
    RunnerError
        No chapters, or a selected name that matches none (the message lists the available ones).
    """
    chapters_dir = Path(chapters_dir)
    found = sorted(chapters_dir.glob(_CHAPTER_GLOB))
    if not found:
        raise RunnerError(f"no chapters ({_CHAPTER_GLOB}) in {chapters_dir}")
    if not selection:
        return found
    if isinstance(selection, str):
        selection = selection.split(",")
    wanted = [s.strip().removesuffix(".md") for s in selection if s.strip()]
    chosen = set()
    for name in wanted:
        match = [p for p in found if p.stem == name or p.stem.split("-", 1)[0] == name]
        if not match:
            available = ", ".join(p.stem for p in found)
            raise RunnerError(
                f"chapter {name!r} not found in {chapters_dir}; available: {available}"
            )
        chosen.update(match)
    return [p for p in found if p in chosen]


def _check_output_dir(out: Path, chapters_dir: Path, force: bool) -> None:
    for protected in (chapters_dir.resolve(), DATA_DIR.resolve()):
        if out == protected or protected in out.parents:
            raise RunnerError(f"--out {out}: reports are never written inside {protected}")
    if out == REPO_ROOT or out in REPO_ROOT.parents or out in chapters_dir.resolve().parents:
        raise RunnerError(f"--out {out}: would replace a directory that holds the book")
    if out.exists() and not out.is_dir():
        raise RunnerError(f"--out {out}: exists and is not a directory")
    if out.exists() and not force:
        raise RunnerError(f"--out {out}: a report already exists; add --force to replace it")


# --------------------------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------------------------
def _notebook(md_path: Path):
    import jupytext

    nb = jupytext.read(md_path)
    nb.metadata["kernelspec"] = nb.metadata.get("kernelspec") or {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    return nb


_ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*=", re.MULTILINE)


def chapter_parameters(md_path: Path) -> list[str]:
    """Names assigned in a chapter's cell tagged ``parameters`` (what ``-p`` may set)."""
    for cell in _notebook(md_path).cells:
        if "parameters" in cell.metadata.get("tags", []):
            return _ASSIGNED.findall(cell.source)
    return []


def _check_parameter_names(parameters: dict, chapters: list[Path]) -> None:
    """Refuse a ``-p`` name that no selected chapter has (a typo would silently do nothing)."""
    known = sorted({name for md in chapters for name in chapter_parameters(md)})
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise RunnerError(
            f"-p {unknown[0]}: no selected chapter has this parameter "
            f"(known: {', '.join(known) or 'none'})"
        )


_TIMING_KEYS = ("start_time", "end_time", "duration")


def _scrub(nb, chapter: Path, params: dict) -> None:
    """Remove what changes from run to run (timings, random cell ids, temporary paths) and the
    cohort's absolute path (it can name a user's home or institution): reports show its file
    name only."""
    meta = nb.metadata.get("papermill", {})
    for key in _TIMING_KEYS:
        meta.pop(key, None)
    cohort = params.get("cohort_path")
    if cohort:
        name = Path(str(cohort)).name
        if isinstance(meta.get("parameters"), dict) and "cohort_path" in meta["parameters"]:
            meta["parameters"]["cohort_path"] = name
        for cell in nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace(repr(str(cohort)), repr(name)).replace(
                    f'"{cohort}"', f'"{name}"'
                )
    meta["input_path"] = f"chapters/{chapter.name}"
    meta["output_path"] = f"{chapter.stem}.ipynb"
    for number, cell in enumerate(nb.cells):
        if "id" in cell:  # jupytext and papermill make random ids
            cell.id = f"cell-{number}"
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            for key in _TIMING_KEYS:
                pm.pop(key, None)


_GLUE_ROLE = re.compile(r"\{glue(?::text|:)?\}`([^`]+)`")
_GLUE_FIGURE = re.compile(r"```\{glue:figure\}\s*(\S+)[^\n]*\n(.*?)```", re.DOTALL)
_GLUE_DIRECTIVE = re.compile(r"```\{glue:?\}\s*(\S+)\s*\n```")


def _glued(nb) -> dict[str, dict]:
    """Glued values of an executed notebook: name → its output bundle (mime → data)."""
    prefix = "application/papermill.record/"
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            record = out.get("metadata", {}).get("scrapbook")
            if not record:
                continue
            name = record.get("name")
            data = {k.removeprefix(prefix): v for k, v in out.get("data", {}).items()}
            if name:
                found[name] = data
    return found


def _render_glue(nb) -> None:
    """Replace MyST glue roles and directives in markdown cells by the glued values.

    The book (MyST-NB) does this when it builds; a plain nbconvert rendering would otherwise show
    ``{glue:text}`name``` literally. Unknown names are left as they are.
    """
    glued = _glued(nb)
    if not glued:
        return

    def text(match):
        data = glued.get(match.group(1).split(":")[0])
        if not data or "text/plain" not in data:
            return match.group(0)
        value = data["text/plain"]
        return (
            value[1:-1]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
            else value
        )

    def figure(match):
        data = glued.get(match.group(1))
        if not data or "image/png" not in data:
            return match.group(0)
        body = [ln for ln in match.group(2).splitlines() if not ln.startswith(":")]
        caption = " ".join(ln.strip() for ln in body if ln.strip())
        return f"![{html.escape(caption)}](data:image/png;base64,{data['image/png'].strip()})\n\n*{caption}*\n"

    def block(match):
        data = glued.get(match.group(1))
        if data and "text/html" in data:
            return data["text/html"]
        return match.group(0)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = _GLUE_FIGURE.sub(figure, cell.source)
            source = _GLUE_DIRECTIVE.sub(block, source)
            cell.source = _GLUE_ROLE.sub(text, source)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#222}
pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;font-size:.85rem}
.cell-input pre{border-left:3px solid #0173b2}
.cell-output pre.error{background:#fdecea;border-left:3px solid #d55e00}
.admonition{border-left:4px solid #0173b2;background:#f3f8fc;padding:.3rem .8rem;margin:1rem 0}
.admonition.warning{border-color:#de8f05;background:#fdf6ec}
.admonition-title{font-weight:bold;margin:.2rem 0}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem}
img{max-width:100%}.label{color:#666;font-size:.8rem}
"""

_ROLE = re.compile(r"\{(?:cite:t|cite:p|cite|numref|ref|term|doc|eq|download|abbr)\}`([^`]*)`")
_LABEL_LINE = re.compile(r"^\([\w:.-]+\)=\s*$", re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _markdown():
    """A markdown-it renderer that turns MyST directive fences into simple HTML blocks."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    default_fence = md.renderer.rules["fence"]

    def fence(renderer, tokens, idx, options, env):
        token = tokens[idx]
        info = token.info.strip()
        if not info.startswith("{"):
            return default_fence(tokens, idx, options, env)
        name, _, title = info[1:].partition("}")
        title = title.strip()
        if name in ("include", "bibliography", "tableofcontents"):
            return ""
        body = [ln for ln in token.content.splitlines() if not re.match(r"^:[\w-]+:", ln)]
        inner = md.render(_myst_text("\n".join(body)))
        label = title or name
        if name in ("solution", "dropdown"):
            return f"<details><summary>{html.escape(label)}</summary>{inner}</details>\n"
        kind = html.escape(name.split(":")[-1])
        return (
            f'<div class="admonition {kind}"><p class="admonition-title">'
            f"{html.escape(label)}</p>{inner}</div>\n"
        )

    md.add_render_rule("fence", fence)
    return md


def _myst_text(source: str) -> str:
    """MyST-only syntax in plain words: labels dropped, roles replaced by their text."""
    source = _LABEL_LINE.sub("", source)
    return _ROLE.sub(lambda m: m.group(1).split("<")[0].strip(), source)


def _output_html(out) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(_ANSI.sub('', out.get('text', '')))}</pre>"
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(out.get("traceback", [])))
        return f'<pre class="error">{html.escape(trace)}</pre>'
    data = out.get("data", {})
    if "text/html" in data:
        return f"<div>{data['text/html']}</div>"
    if "image/svg+xml" in data:
        return f"<div>{data['image/svg+xml']}</div>"
    if "image/png" in data:
        return f'<img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}">'
    if "text/markdown" in data:
        return _markdown().render(_myst_text(data["text/markdown"]))
    if "text/plain" in data:
        return f"<pre>{html.escape(_ANSI.sub('', data['text/plain']))}</pre>"
    return ""  # e.g. glued values (display=False): shown where the prose refers to them


def _html(nb, title: str = "chapter") -> str:
    """A self-contained, deterministic HTML page of an executed notebook.

    Markdown via markdown-it-py (MyST directives become simple boxes, roles plain text, glued
    values are substituted), code highlighted by Pygments, outputs inlined (PNG as data URIs).
    The book's tags are honoured: ``remove-cell`` drops a cell, ``remove-input`` /
    ``hide-input`` its code, ``remove-output`` its outputs. (nbconvert is not a dependency of
    the book; this renderer needs only what jupyter-book already brings.)
    """
    import copy

    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    nb = copy.deepcopy(nb)
    _render_glue(nb)
    md = _markdown()
    formatter = HtmlFormatter(nowrap=True)
    parts = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell.cell_type == "markdown":
            parts.append(f'<div class="cell-markdown">{md.render(_myst_text(cell.source))}</div>')
            continue
        if cell.cell_type != "code":
            continue
        block = []
        if not tags & {"remove-input", "hide-input"} and cell.source.strip():
            if "injected-parameters" in tags:
                block.append('<p class="label">parameters of this run (injected by papermill)</p>')
            code = highlight(cell.source, PythonLexer(), formatter)
            block.append(f'<div class="cell-input"><pre class="highlight">{code}</pre></div>')
        if "remove-output" not in tags:
            shown = "".join(_output_html(o) for o in cell.get("outputs", []))
            if shown:
                block.append(f'<div class="cell-output">{shown}</div>')
        if block:
            parts.append('<div class="cell">' + "".join(block) + "</div>")
    style = _CSS + HtmlFormatter().get_style_defs(".highlight")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>\n<style>{style}</style></head>\n<body>\n"
        + "\n".join(parts)
        + '\n<p class="label"><a href="index.html">all chapters of this report</a></p>'
        + "\n</body>\n</html>\n"
    )


def _failing_cell(md_path: Path, nb, cell_index: int | None, source: str) -> tuple[int, int | None]:
    """(1-based code cell number in the .md, line of the .md where its code starts)."""
    number = 0
    # papermill's index is into the notebook before it inserted its error banner cells
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    if cell_index is not None:
        for i, cell in enumerate(cells[: cell_index + 1]):
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code" and "injected-parameters" not in tags:
                number += 1
            if i == cell_index:
                break
    line = None
    first = next((ln for ln in (source or "").splitlines() if ln.strip()), None)
    if first is not None:
        for i, text in enumerate(md_path.read_text(encoding="utf-8").splitlines(), start=1):
            if text == first:
                line = i
                break
    return number, line


def _index_html(run: BookRun, cohort_file: str, digest: str, params: dict) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(c.html)}">{html.escape(c.name)}</a> '
        f'(<a href="{html.escape(c.notebook)}">notebook</a>)</li>'
        for c in run.chapters
    )
    shown = {k: v for k, v in params.items() if k != "cohort_path"}
    extra = (
        "<p>Parameters: <code>"
        + html.escape(", ".join(f"{k}={v!r}" for k, v in shown.items()))
        + "</code></p>"
        if shown
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>Report: {html.escape(run.out.name)}</title></head>\n<body>\n"
        f"<h1>Report {html.escape(run.out.name)}</h1>\n"
        "<p>The chapters of the executable book reproducing Hien et al. 2024 (HAIC for "
        "TACE-refractory HCC), re-executed on the cohort "
        f"<code>{html.escape(cohort_file)}</code> (SHA-256 <code>{digest[:16]}…</code>).</p>\n"
        f"{extra}\n<ol>\n{rows}\n</ol>\n"
        "<p>Made by <code>python -m analysis run</code>. Each chapter is an executed notebook "
        "(<code>.ipynb</code>) and its HTML rendering.</p>\n</body>\n</html>\n"
    )


def run_book(
    cohort: Path | str,
    out: Path | str,
    *,
    parameters: dict | None = None,
    chapters=None,
    chapters_dir: Path | str = CHAPTERS_DIR,
    force: bool = False,
    progress: bool = True,
    kernel_name: str | None = None,
    log: TextIO | None = None,
) -> BookRun:
    """Validate ``cohort``, execute the chapters on it and publish ``out`` atomically.

    Parameters
    ----------
    cohort : path-like
        The cohort CSV (the book's own is ``analysis.COHORT_CSV``).
    out : path-like
        The report directory to create, e.g. ``reports/my-hospital``.
    parameters : dict, optional
        Extra chapter parameters (see :func:`parse_parameters`); ``cohort_path`` is always set
        to the cohort's absolute path.
    chapters : str or list of str, optional
        A selection for :func:`discover_chapters`; default every chapter.
    chapters_dir : path-like
        Where the chapters are (default ``chapters/`` of the repository); also the working
        directory of every chapter.
    force : bool
        Replace an existing report.
    progress : bool
        Show papermill's per-chapter progress bar (tqdm, on stderr).
    kernel_name : str, optional
        Jupyter kernel; default the chapters' own (``python3``).
    log : file-like, optional
        Where progress lines go (default ``sys.stderr``).

    Returns
    -------
    BookRun
        The report's directory, chapters and timings.

    Raises
    ------
    analysis.cohort.CohortError
        The cohort is invalid (nothing written).
    RunnerError
        Bad parameters, unknown chapters, or an output directory that exists (without
        ``force``) or lies inside ``chapters/`` or ``data/`` (nothing written).
    ChapterFailed
        A chapter raised; no report, partial output in ``<out>.failed``.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.cohort import load_cohort

    log = log or sys.stderr
    started = time.monotonic()
    cohort = Path(cohort).resolve()
    load_cohort(cohort)  # raises CohortError listing every problem
    chapters_dir = Path(chapters_dir).resolve()
    selected = discover_chapters(chapters_dir, chapters)
    _check_parameter_names(parameters or {}, selected)
    params = {"cohort_path": str(cohort), **(parameters or {})}
    if "cohort_path" in (parameters or {}):
        raise RunnerError("parameter cohort_path: give the cohort with --cohort instead")
    out = Path(out).resolve()
    _check_output_dir(out, chapters_dir, force)

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    partial.chmod(0o755)  # mkdtemp makes it private; a report is an ordinary directory
    failed_dir = out.with_name(out.name + ".failed")
    run = BookRun(out=out, cohort=cohort.name)
    try:
        for number, md_path in enumerate(selected, start=1):
            name = md_path.stem
            print(f"[{number}/{len(selected)}] {name}", file=log, flush=True)
            t0 = time.monotonic()
            nb_in = _notebook(md_path)
            target = partial / f"{name}.ipynb"
            try:
                nb = papermill.execute_notebook(
                    nb_in,
                    str(target),
                    parameters=params,
                    cwd=str(chapters_dir),
                    progress_bar=progress,
                    log_output=False,
                    kernel_name=kernel_name or nb_in.metadata["kernelspec"].get("name"),
                    start_timeout=120,
                )
            except PapermillExecutionError as exc:
                executed = nbformat.read(target, as_version=4)
                cell, line = _failing_cell(md_path, executed, exc.cell_index, exc.source)
                error = f"{exc.ename}: {exc.evalue}"
                if failed_dir.exists():
                    shutil.rmtree(failed_dir)
                partial.rename(failed_dir)
                failure = ChapterFailed(name, cell, line, error, failed_dir)
                (failed_dir / "FAILED.txt").write_text(
                    f"{failure}\n\nThis directory is NOT a report: it holds the notebooks "
                    f"executed before the failure; {name}.ipynb shows the error in place.\n",
                    encoding="utf-8",
                )
                raise failure from None
            _scrub(nb, md_path, params)
            nbformat.write(nb, target)
            (partial / f"{name}.html").write_text(_html(nb, name), encoding="utf-8")
            run.chapters.append(
                ChapterRun(name, f"{name}.ipynb", f"{name}.html", time.monotonic() - t0)
            )
        digest = hashlib.sha256(cohort.read_bytes()).hexdigest()
        (partial / "index.html").write_text(
            _index_html(run, cohort.name, digest, params), encoding="utf-8"
        )
        manifest = {
            "cohort": cohort.name,
            "cohort_sha256": digest,
            "parameters": {k: v for k, v in params.items() if k != "cohort_path"},
            "chapters": [c.name for c in run.chapters],
        }
        (partial / "report.json").write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _publish(partial, out)
    except ChapterFailed:
        raise
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if failed_dir.exists():
        shutil.rmtree(failed_dir)
    run.seconds = time.monotonic() - started
    return run


def _publish(partial: Path, out: Path) -> None:
    """Rename ``partial`` to ``out``; an existing ``out`` is moved aside first, then deleted."""
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    partial.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
