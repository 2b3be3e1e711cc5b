"""``validate`` printed each problem on one line, up to several hundred characters (a column of
dates: 370), cut or scrolled in a phone's terminal and on paper. Its lines now wrap at 80
characters (formatting.LINE_WIDTH) at spaces, never inside a column name, a quoted value or a
row's place ("line 4"), each continuation two spaces under its item: the hanging indent the
book's phone display (book.js, bookHangingIndents) recognises in chapter 10. The words are
those of the one-line messages."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_output import unwrapped
from test_cli_hostile import call_cli

from analysis import COHORT_CSV
from analysis.__main__ import main
from analysis.cohort import check_cohort_file
from analysis.formatting import LINE_WIDTH, display_width, wrapped


def _book() -> pd.DataFrame:
    return pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)


def _odd(kind: str) -> pd.DataFrame:
    book = _book()
    if kind == "korean-sex":
        return book.assign(sex=book["sex"].map({"M": "남", "F": "여"}))
    if kind == "missing-columns":
        renamed = book.rename(columns={"age_years": "Age (years)"})
        return renamed.drop(columns=["os_months", "sex"]).assign(ward="A")
    if kind == "dates":
        return book.assign(os_months="2023-01-05", pfs_months="12/31/2022")
    if kind == "codings":
        return book.assign(os_event=book["os_event"].map({"1": "yes", "0": "no"}))
    if kind == "jsh":
        return book.assign(refractory_extrahepatic="0")
    raise AssertionError(kind)


def _hanging(lines: list[str]) -> bool:
    """book.js's bookHangingIndents: the first line at the margin, each line's indent the one
    above's plus two spaces or one already open."""
    open_ = [0]
    for i, line in enumerate(lines):
        lead = len(line) - len(line.lstrip(" "))
        if i == 0 and lead:
            return False
        if lead == open_[-1] + 2:
            open_.append(lead)
            continue
        while open_ and open_[-1] > lead:
            open_.pop()
        if not open_ or open_[-1] != lead:
            return False
    return True


@pytest.mark.parametrize("kind", ["korean-sex", "missing-columns", "dates", "codings", "jsh"])
def test_every_line_fits_hangs_under_its_item_and_keeps_the_words(
    tmp_path, capsys, monkeypatch, kind
):
    monkeypatch.chdir(tmp_path)  # a short path: a long one is one word, never broken
    path = "mine.csv"
    _odd(kind).to_csv(path, index=False)
    code = main(["validate", path])
    out, _ = capsys.readouterr()
    lines = [line for line in out.splitlines() if line.strip()]
    assert code in (0, 1)
    assert max(map(display_width, lines)) <= LINE_WIDTH, out  # terminal columns
    # a valid cohort's warnings come first, at two spaces: read as under a heading
    assert _hanging(["mine.csv:", *lines]), out
    # the words and their order: the one-line messages, unwrapped
    report = check_cohort_file(path)
    for item in [*report.problems, *report.warnings]:
        assert f"  - {item}" in unwrapped(out).splitlines(), item
    assert len(lines) > len(report.problems) + len(report.warnings) + 1  # it did wrap


def test_names_values_and_row_places_are_never_split(tmp_path, capsys):
    path = tmp_path / "mine.csv"
    _odd("missing-columns").to_csv(path, index=False)
    _, out, _ = call_cli(["validate", str(path)], capsys)  # unwrapped: the one-line form
    main(["validate", str(path)])
    printed = capsys.readouterr().out
    assert "'Age (years)'" in printed  # on one line, though its message wrapped
    _odd("codings").to_csv(path, index=False)
    main(["validate", str(path)])
    printed = capsys.readouterr().out
    assert "\n    line" in printed or "line 6: 'yes';" in printed
    assert not any(line.rstrip().endswith(" line") for line in printed.splitlines())
    long_name = "column_" + "x" * 90  # longer than a line: left whole, never broken
    assert long_name in wrapped(f"  - not used by the book: '{long_name}' and more")


def test_the_header_and_a_valid_cohorts_ok_line(tmp_path, capsys):
    """The header ("PATH: N problems") stays one line whatever the path; the book's cohort
    prints its one OK line as before."""
    deep = tmp_path / ("folder_" + "y" * 70)
    deep.mkdir()
    path = deep / "mine.csv"
    _odd("codings").to_csv(path, index=False)
    main(["validate", str(path)])
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"{path}: 1 problem"
    assert main(["validate", str(COHORT_CSV)]) == 0
    assert capsys.readouterr().out == f"OK: {COHORT_CSV}: 82 patients; 38 columns\n"
