"""analysis.book: the helpers every chapter uses for glue, tables and figures."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import book


def test_glue_text_refuses_unformatted_numbers():
    with pytest.raises(TypeError, match=r"glue_text\('x'\).*float"):
        book.glue_text("x", 9.9)


def test_glue_code_keeps_commands_literal(monkeypatch):
    """A command glued as prose had its quotes curled by Sphinx (Exercise 9.3); as code it is
    copied as typed, each text one code span, several joined as prose."""
    glued = {}
    monkeypatch.setattr(book, "glue", lambda name, value, display: glued.update({name: value}))
    command = 'make chapter NAME=09-bias PARAMS="-p seed=2025"'
    assert book.glue_code("cmd", command) == f"`{command}`"
    assert glued["cmd"].data == f"`{command}`"
    assert book.glue_code("codes", "NA", "N/A", ".", conjunction="or") == "`NA`, `N/A` or `.`"
    assert book.glue_code("tick", "a`b") == "``a`b``"
    with pytest.raises(TypeError, match=r"glue_code\('x'\)"):
        book.glue_code("x", 2025)
    with pytest.raises(TypeError, match=r"glue_code\('x'\)"):
        book.glue_code("x")


def test_show_table_embeds_exact_csv():
    df = pd.DataFrame({"quantity": ["median OS", "ORR"], "published": ["9.9", "29.3"]})
    html = book.show_table(df, "demo").data
    match = re.search(r'download="demo.csv" href="data:text/csv;base64,([^"]+)"', html)
    assert match, "no CSV download link"
    csv = base64.b64decode(match.group(1)).decode()
    assert csv == "quantity,published\nmedian OS,9.9\nORR,29.3\n"
    assert "<table" in html and "median OS" in html


def test_figure_downloads_are_deterministic_and_png_svg():
    book.setup()
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1.0, 0.6, 0.3])
    ax.set_xlabel("months")
    first = book.figure_downloads(fig, "curve").data
    second = book.figure_downloads(fig, "curve").data
    plt.close(fig)
    assert first == second
    png = re.search(r'href="data:image/png;base64,([^"]+)"', first).group(1)
    svg = re.search(r'href="data:image/svg\+xml;base64,([^"]+)"', first).group(1)
    assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
    svg_text = base64.b64decode(svg).decode()
    assert svg_text.lstrip().startswith("<?xml") and "<dc:date>" not in svg_text


def test_show_table_drops_a_leftover_columns_name():
    wide = (
        pd.DataFrame({"check": ["a", "a", "b"], "verdict": ["ok", "bad", "ok"], "n": [1, 2, 3]})
        .pivot(index="check", columns="verdict", values="n")
        .reset_index()
    )
    assert wide.columns.name == "verdict"
    html = book.show_table(wide, "wide").data
    assert "<th>verdict</th>" not in html and "<th></th>" not in html


def _glued(monkeypatch):
    glued = {}
    monkeypatch.setattr(book, "glue", lambda name, value, display=True: glued.update({name: value}))
    return glued


def test_glue_figure_shows_the_figures_class_above_its_downloads(monkeypatch):
    glued = _glued(monkeypatch)
    book.setup()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    book.glue_figure(
        "fig-x",
        fig,
        provenance={"the median": "published", "the curve": "assumed", "P": "published"},
    )
    text = glued["fig-x-downloads"].data
    line, downloads = text.split('<p class="downloads">')
    assert line.startswith('<p class="figure-provenance">In this figure: the median, P <sup')
    assert ">published</sup> · the curve <sup" in line and line.endswith(">assumed</sup></p>")
    assert 'download="fig-x.png"' in downloads and 'download="fig-x.svg"' in downloads
    assert not plt.fignum_exists(fig.number)  # closed

    fig, _ = plt.subplots()
    book.glue_figure("fig-y", fig, provenance="determined", user=True)  # a user's cohort
    assert glued["fig-y-downloads"].data.startswith('<p class="downloads">')
    fig, _ = plt.subplots()
    book.glue_figure("fig-z", fig)  # no class given: the downloads line alone, as before
    assert glued["fig-z-downloads"].data.startswith('<p class="downloads">')


def test_table2_provenance_never_calls_a_reproduced_estimate_published():
    # Table 2 prints age per year as HR 0.996 (0.975-1.017), P 0.70, a calibration target: the
    # paper's number is published, this cohort's reproduction of it is not (Table 7.4 put a green
    # "published" badge on every reproduced row, misses included). It is classed by the spread of
    # its hazard ratio across calibrated cohorts: every one prints 0.996.
    ids = ["table2.age_years.uni.hr", "table2.age_years.uni.interval", "table2.age_years.uni.p"]
    assert str(book.table2_provenance(ids)) == "determined"
    # Child-Pugh 7 vs 5, multivariable: printed 1.072, this cohort 0.747; the cohorts disagree
    child = book.table2_provenance(
        ["table2.child_pugh_7.multi.hr", "table2.child_pugh_7.multi.interval"]
    )
    assert child.kind == "assumed"
    feasible = book._table2_feasible()
    for cell in feasible:  # every printed cell, feasible or not, calibration target or not
        assert book.table2_provenance([cell]).kind != "published", cell
    albumin = book.table2_provenance(["table2.albumin_le3.multi.hr"])
    assert albumin.kind in ("determined", "assumed")
    assert book.table2_provenance(["not.a.cell"]) == book._ensemble.UNMEASURED


def test_a_stated_coding_estimate_equal_to_the_implied_one_keeps_its_class():
    """Review: Table 7.5 (stated coding) badged every estimate "not measured", Table 7.4
    (implied) the same univariate estimates "determined" or "assumed" by their spread: age per
    year, 0.996 (0.975-1.017) in both tables, had two classes. Where the univariate fit is the
    implied one's the class is the implied one's; a fit of its own (the multivariable model,
    or the four terms coded as split) is not measured; none is published."""
    age = ["table2.age_years.uni.hr", "table2.age_years.uni.interval", "table2.age_years.uni.p"]
    same = {"age_years", "child_pugh_7"}
    assert book.stated_table2_provenance(age, same) == book.table2_provenance(age)
    assert str(book.stated_table2_provenance(age, same)) == "determined"
    child = ["table2.child_pugh_7.uni.hr", "table2.child_pugh_7.uni.interval"]
    assert book.stated_table2_provenance(child, same) == book.table2_provenance(child)
    unmeasured = book._ensemble.UNMEASURED
    assert book.stated_table2_provenance(["table2.child_pugh_7.multi.hr"], same) == unmeasured
    assert book.stated_table2_provenance(["table2.ast_gt40.uni.hr"], same) == unmeasured
    assert book.stated_table2_provenance([], same) == unmeasured
    for cell in book._table2_feasible():
        term = cell.split(".")[1]
        assert book.stated_table2_provenance([cell], {term}).kind != "published", cell


def test_reproduced_provenance_judges_the_spread_of_a_power():
    """AST per U/L is determined across calibrated cohorts, its 100th power (the ratio for 100 U/L
    more, 2.84 in chapter 7, which the paper never prints) is a hundred times wider on the log
    scale and is not."""
    from analysis import ensemble

    assert str(ensemble.result_provenance("table2.ast_gt40.uni.hr")) == "published"  # the paper's
    assert str(ensemble.reproduced_provenance("table2.ast_gt40.uni.hr")) == "determined"
    assert ensemble.reproduced_provenance("table2.ast_gt40.uni.hr", power=100).kind == "assumed"


def test_verdict_words_become_marks_and_an_unknown_word_is_refused():
    from analysis import verdicts

    def mark(*words):
        table = pd.DataFrame({"quantity": [f"q{i}" for i in range(len(words))], "verdict": words})
        return str(book.verdict_provenance(table, *table["quantity"]))

    # every word of the comparison and audit vocabularies is known
    expected = {
        verdicts.AGREES: "published ✓",
        verdicts.CONSISTENT: "published ✓",
        verdicts.DIFFERS: "published ✗",
        verdicts.INCONSISTENT: "published ✗",
        verdicts.NOT_SCORED: "published",
        verdicts.CANNOT_TELL: "published",
        verdicts.INFEASIBLE: "published ✗",  # the paper's number: no cohort prints it
        verdicts.NOT_COMPARABLE: "published",  # the paper printed no such number
    }
    assert set(expected) == {*verdicts.COMPARISON_VERDICTS, *verdicts.AUDIT_VERDICTS}
    assert {w: mark(w) for w in expected} == expected
    assert mark("agrees", "not scored (your cohort)") == "published"  # one unscored: no mark
    assert mark("not scored (your cohort)", "differs") == "published ✗"  # any miss shows
    # a typo, a case change or the calibration's words never pass silently as "no mark"
    for word in ("differ", "Agrees", verdicts.MISSED, verdicts.HIT, ""):
        with pytest.raises(ValueError, match=f"unknown verdict word {word!r}"):
            mark("agrees", word)


def test_entry_provenance_judges_a_printed_number_as_the_tables_do():
    """The verdict of a published number a figure shows, before its table exists: the paper
    prints the median OS as 9.9 months and its interval as 8.7-11 (half up at one decimal, 11
    read as 11.0 beside 8.7: published.bound_decimals)."""
    from analysis import published

    assert published.entry("results.os_median.median").text == "9.9"
    assert published.entry("results.os_median.interval").text == "8.7–11"
    shown = {"results.os_median.median": 9.94, "results.os_median.interval": (8.66, 11.04)}
    assert str(book.entry_provenance(shown)) == "published ✓"
    assert str(book.entry_provenance({**shown, "results.os_median.median": 9.96})) == "published ✗"
    wider = {**shown, "results.os_median.interval": (8.64, 11.0)}
    assert str(book.entry_provenance(wider)) == "published ✗"
    longer = {**shown, "results.os_median.interval": (8.66, 11.49)}  # 11.5 at one decimal
    assert str(book.entry_provenance(longer)) == "published ✗"
    nan = {"results.os_median.median": float("nan")}  # a median not reached is not reproduced
    assert str(book.entry_provenance(nan)) == "published ✗"
    assert str(book.entry_provenance(shown, user=True)) == "published"  # a user's cohort
    # Table 1 rows are found by their characteristic
    t1 = pd.DataFrame(
        {"characteristic": ["AST (U/L)", "ALT (U/L)"], "verdict": ["agrees", "differs"]}
    )
    assert str(book.verdict_provenance(t1, "AST (U/L)")) == "published ✓"
    assert str(book.verdict_provenance(t1, "AST (U/L)", "ALT (U/L)")) == "published ✗"


def test_glue_figure_download_png_is_the_glued_png_and_a_fresh_render(monkeypatch):
    # glue_figure renders the PNG once and gives the same bytes to the download link: the bytes
    # a separate render (figure_downloads on its own) writes
    book.setup()
    glued = _glued(monkeypatch)
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [1.0, 0.6, 0.3])
    ax.set_xlabel("months")
    fresh = book.figure_downloads(fig, "curve").data
    monkeypatch.setattr(book.plt, "close", lambda f: None)  # keep the figure for the render above
    book.glue_figure("curve", fig)
    plt.close(fig)
    png = re.search(r'href="data:image/png;base64,([^"]+)"', glued["curve-downloads"].data)
    assert base64.b64decode(png.group(1)) == glued["curve"].data
    assert glued["curve-downloads"].data.endswith(fresh)


def _table2_glued(
    verdict: str,
    reason: str = "",
    user: bool = False,
    uni: str = "agrees",
    missed=None,
    infeasible=None,
    remark: str = "",
):
    """glue_table2 on one term the paper fits in both models (Child-Pugh 6 vs 5): the table's
    markdown and its notes. ``remark`` is the rows' tables.table2 field of that name (the notes
    read it, not ``reason``)."""
    from unittest import mock

    table = pd.DataFrame(
        {
            "term": ["child_pugh_6", "child_pugh_6"],
            "model": ["univariate", "multivariable"],
            "variable": ["Child-Pugh score", "Child-Pugh score"],
            "coding": ["6 vs 5", "6 vs 5"],
            "verdict": [uni, verdict],
            "reason": [reason if uni == "differs" else "", reason],
            "remark": [remark if uni == "differs" else "", remark],
        }
    )
    if user:
        table.attrs["user_cohort"] = True
    cols = ["hr", "lower", "upper", "p"]
    fit = pd.DataFrame([[0.2671, 0.1021, 0.7012, 0.0102]], columns=cols, index=["child_pugh_6"])
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2(
            "tbl-t2",
            table,
            {"univariate": fit, "multivariate": fit},
            user=user,
            missed=missed,
            infeasible=infeasible,
        )
    return glue.call_args_list[0].args[1].data, glue.call_args_list[1].args[1].data


def test_table2_verdicts_follow_the_p_of_their_model():
    """Tables 7.4 and 7.5: five columns (an "Agrees (uni / multi)" column kept them 394 px wide
    on a 390 px phone); each model's ✓ or numbered ✗ follows this cohort's P of that model, in a
    span that tables.css puts under the P on a phone. The paper's row has none."""
    text, notes = _table2_glued("differs", remark="HR 0.267 printed 0.722")
    header, _, paper_row, ours = text.splitlines()
    assert header.count("|") == 6 and "Agrees" not in header
    assert "verdict" not in paper_row
    cells = [c.strip() for c in ours.strip("|").split("|")]
    assert cells[1] == cells[3] == "0.267 (0.102–0.701)"  # the estimates keep their cells
    assert cells[2] == '0.01 <span class="verdict">✓</span>'
    assert cells[4] == '0.01 <span class="verdict">✗¹</span>'
    assert (
        "¹ Child-Pugh score: 6 vs 5 (HR, CI and P), multivariable: HR 0.267 printed 0.722" in notes
    )
    assert "No ✓ or ✗" not in notes


def test_table2_of_a_users_cohort_says_once_that_it_is_not_scored():
    """On a user's cohort no row is scored: no mark after any P, and one note says why (the
    verdict used to fill a column, "not scored (your cohort) / not scored (your cohort)")."""
    from analysis.verdicts import NOT_SCORED

    text, notes = _table2_glued(NOT_SCORED, user=True, uni=NOT_SCORED)
    assert "verdict" not in text and "✓" not in text
    assert "↳\u202fyour cohort" in text
    assert notes.count(NOT_SCORED) == 1
    assert "No ✓ or ✗ after a P: not scored (your cohort)." in notes


CP6 = "table2.child_pugh_6.uni"


def test_table2_notes_give_a_reason_for_every_differing_cell():
    """A ✗ note ended with reasons only for univariate cells chapter 1 explains: Child-Pugh 6
    vs 5's univariate P (0.01 here, printed 0.02, which no cohort can print with its row) and
    every multivariable cell went without one. Now a cell no cohort can print says "infeasible:
    <short reason>, see Table 7.2", and a multivariable cell says that no reason is computed."""
    infeasible = {f"{CP6}.p": "the printed P is consistent with its row's P truncated, not rounded"}
    missed = {f"{CP6}.hr": "not reached by the search"}
    _, notes = _table2_glued(
        "differs", "HR, CI and P differ", uni="differs", missed=missed, infeasible=infeasible
    )
    uni, multi = [line.rstrip() for line in notes.splitlines()[:2]]
    # the differing cells beside the row, then each cell's reason (CI has none: univariate)
    assert uni.startswith("¹ Child-Pugh score: 6 vs 5 (HR, CI and P), univariate: HR: "), uni
    assert f"HR: not reached by the search {REF}" in uni
    assert uni.endswith(
        "; P: infeasible: the printed P is consistent with its row's P truncated, not rounded, "
        "see {numref}`tbl-cox-feasibility`"
    )
    # one reason for all its cells: said once, the cells beside the row
    assert multi == (
        "² Child-Pugh score: 6 vs 5 (HR, CI and P), multivariable: not reached by the "
        "calibration; the reasons of chapter\xa001 cover univariate cells only"
    ), multi


def test_table2_rows_that_say_the_same_share_one_note():
    """Review on a phone: Tables 7.4 and 7.5 had a note a ✗ (20 and 24), most the same sentence
    but for the row. Two multivariable rows whose notes would say the same share one note and
    its number; a univariate row that says the same is told apart (another column)."""
    from unittest import mock

    terms = ["child_pugh_6", "child_pugh_7"]
    table = pd.DataFrame(
        {
            "term": [t for t in terms for _ in range(2)],
            "model": ["univariate", "multivariable"] * 2,
            "variable": ["Child-Pugh score"] * 4,
            "coding": ["6 vs 5", "6 vs 5", "7 vs 5", "7 vs 5"],
            "verdict": ["agrees", "differs", "differs", "differs"],
            "reason": ["", "HR differs", "HR differs", "HR differs"],
        }
    )
    cols = ["hr", "lower", "upper", "p"]
    fit = pd.DataFrame([[0.2671, 0.1021, 0.7012, 0.0102]] * 2, columns=cols, index=terms)
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2("tbl-t2", table, {"univariate": fit, "multivariate": fit})
    text, notes = (c.args[1].data for c in glue.call_args_list[:2])
    assert re.findall("✗[¹²³]", text) == ["✗¹", "✗²", "✗¹"]
    lines = [line.rstrip() for line in notes.splitlines()[:2]]
    assert lines[0].startswith(
        "¹ Multivariable, rows *Child-Pugh score: 6 vs 5* (HR, CI and P) and *Child-Pugh score: "
        "7 vs 5* (HR, CI and P): not reached by the calibration"
    ), lines[0]
    assert lines[1].startswith("² Child-Pugh score: 7 vs 5 (HR, CI and P), univariate: "), lines[1]
    assert "³" not in notes


def test_table2_rows_whose_reason_is_the_same_share_one_note_whatever_cells_differ():
    """Review on a phone: Tables 7.4 and 7.5 still had five notes ending "not reached by the
    calibration; …" that differed only in their cells ("HR, CI and P" or "HR and CI"). Rows
    whose reason is the same share one note, each row's differing cells beside it, and both
    marks point to it."""
    from unittest import mock

    terms = ["child_pugh_6", "child_pugh_7"]
    table = pd.DataFrame(
        {
            "term": terms,
            "model": ["multivariable"] * 2,
            "variable": ["Child-Pugh score"] * 2,
            "coding": ["6 vs 5", "7 vs 5"],
            "verdict": ["differs"] * 2,
            "reason": ["HR, CI and P differ", "HR and CI differ"],
        }
    )
    cols = ["hr", "lower", "upper", "p"]
    fit = pd.DataFrame([[0.2671, 0.1021, 0.7012, 0.0102]] * 2, columns=cols, index=terms)
    with (
        mock.patch("analysis.book.glue") as glue,
        mock.patch(
            "analysis.book._cell_agrees",
            side_effect=lambda f, term, part, i: term == terms[1] and part == "p",
        ),
    ):
        book.glue_table2("tbl-t2", table, {"univariate": fit.iloc[:0], "multivariate": fit})
    text, notes = (c.args[1].data for c in glue.call_args_list[:2])
    assert re.findall("✗[¹²³]", text) == ["✗¹", "✗¹"]
    assert notes.splitlines()[0].rstrip() == (
        "¹ Multivariable, rows *Child-Pugh score: 6 vs 5* (HR, CI and P) and *Child-Pugh score: "
        "7 vs 5* (HR and CI): not reached by the calibration; the reasons of chapter\xa001 cover "
        "univariate cells only"
    )


def test_see_table_notes_keep_their_cross_reference():
    """Table 7.1's notes point to Table 7.4, which shows the interval and P they speak of;
    glue_table escaped every note, so a role printed as text. A Markdown note is kept."""
    from unittest import mock

    from IPython.display import Markdown

    note = book.see_table("¹ CI differs", "tbl-cox-table2-implied")
    assert isinstance(note, Markdown)
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table("tbl-x", pd.DataFrame({"a": [1]}), notes=[note, "plain `x`"])
    notes = glue.call_args_list[1].args[1].data
    assert "¹ CI differs (see {numref}`tbl-cox-table2-implied`)" in notes
    assert "plain \\`x\\`" in notes


REF = "({ref}`chapter\xa001 <data-missed-reasons>`)"


def test_a_univariate_note_ends_with_why_its_missed_cells_are_missed():
    """Table 7.4: the ✗ note of a univariate row ends with the reason category of each missed
    cell (cells of one category together) and a link to chapter 1's section; the multivariable
    note of the same term, which chapter 1 does not explain, says so instead of a reason."""
    missed = {
        f"{CP6}.hr": "not reached by the search",
        f"{CP6}.interval": "contradicted under the approximation",
        f"{CP6}.p": "not reached by the search",
        "table2.child_pugh_6.multi.hr": "not reached by the search",  # never said
    }
    _, notes = _table2_glued("differs", "HR, CI and P differ", uni="differs", missed=missed)
    lines = notes.splitlines()
    assert lines[0] == (
        "¹ Child-Pugh score: 6 vs 5, univariate: HR and P: not reached "
        f"by the search; CI: contradicted under the approximation {REF}  "
    )
    assert lines[1] == (
        "² Child-Pugh score: 6 vs 5 (HR, CI and P), multivariable: not "
        "reached by the calibration; the reasons of chapter\xa001 cover univariate cells only"
    )
    assert notes.count("{ref}") == 1


def test_a_note_without_a_missed_cell_gets_no_reason():
    """A univariate row whose differing cells chapter 1 does not list, and that is given no
    infeasible cell, gets no reason from chapter 1; a row that agrees gets no note."""
    missed = {"table2.sex_female.uni.p": "not reached by the search"}  # another row's
    _, notes = _table2_glued("differs", "P differs", uni="differs", missed=missed)
    assert "{ref}" not in notes and " — " not in notes.splitlines()[0]
    _, notes = _table2_glued("agrees", missed={f"{CP6}.hr": "not reached by the search"})
    assert "{ref}" not in notes and "¹" not in notes


def test_no_reason_on_a_users_cohort():
    """The reasons describe the book's synthetic cohort: on a user's cohort, whose rows are not
    scored, they are not attached even if passed."""
    from analysis.verdicts import NOT_SCORED

    missed = {f"{CP6}.hr": "not reached by the search"}
    text, notes = _table2_glued(NOT_SCORED, user=True, uni=NOT_SCORED, missed=missed)
    assert "not reached" not in notes and "{ref}" not in notes and "✗" not in text


def test_the_arrow_stays_with_this_cohort():
    """Table 7.5 on a 390 px phone: "↳" sat alone on a line above its word; a narrow no-break
    space joins them, the provenance badge still follows the label "this cohort" (review: not
    "reproduced", which a ✗ row is not)."""
    from analysis.provenance import Provenance

    table = pd.DataFrame(
        {"term": ["age_years"], "model": ["univariate"], "variable": ["Age (years)"],
         "coding": ["per year"], "verdict": ["agrees"], "reason": [""]}
    )  # fmt: skip
    cols = ["hr", "lower", "upper", "p"]
    fits = {
        "univariate": pd.DataFrame(
            [[0.9961, 0.9752, 1.0174, 0.701]], columns=cols, index=["age_years"]
        ),
        "multivariate": pd.DataFrame(columns=cols),
    }
    from unittest import mock

    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2("t", table, fits, provenance=lambda ids: Provenance("published"))
    ours = glue.call_args_list[0].args[1].data.splitlines()[3]
    # the badge after a space (as a header's): on a phone it has no chip padding (book.css)
    assert ours.startswith("| ↳\u202fthis cohort <sup") and "↳ " not in ours


def test_a_numbered_cross_is_one_token_the_site_script_links():
    """book.js links a mark to its note only when it reads /✗([⁰-⁹]+)/: "✗ ¹" (with a space)
    stayed plain text while its note got a ↩ back-link to a mark id that did not exist."""
    df = pd.DataFrame(
        {
            "quantity": ["orr", "dcr"],
            "published": ["29.3", "60"],
            "reproduced": ["31.7", "61"],
            "verdict": ["differs", "differs"],
            "reason": ["two more responders", "one more"],
        }
    )
    text, notes = book.table_markdown(df)
    js = (Path(__file__).resolve().parents[1] / "book" / "_static" / "book.js").read_text()
    mark = re.search(r"var MARK = /(.+?)/g;", js)[1]
    marks = re.findall(mark, text)
    assert marks == ["¹", "²"] and notes == ["two more responders", "one more"]
    assert "✗ " not in text


def test_a_header_badge_follows_a_space_and_never_repeats_the_columns_name():
    """Review h42 item 7: Table 5.1's header read "Published published"; Table 5.2's, on a phone,
    "Wilson 95% CI (%)determined" (the badge straight after the label)."""
    from analysis.provenance import Provenance

    df = pd.DataFrame({"quantity": ["orr"], "published": ["29.3"], "reproduced": ["31.7"]})
    text, _ = book.table_markdown(
        df,
        header_badges={
            "published": Provenance("published"),
            "reproduced": Provenance("determined"),
        },
    )
    head = text.splitlines()[0]
    assert "| Published |" in head, head
    assert "Reproduced <sup" in head and head.count("<sup") == 1, head
    assert not re.search(r"\S<sup", head), head


def test_chapter_05_tables_headers_in_the_golden():
    """The same in chapter 5's golden notebook (Tables 5.1 and 5.2)."""
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parent.parent / "chapters" / "05-response.ipynb", 4)
    heads = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            md = "".join(o.get("data", {}).get("application/papermill.record/text/markdown", ""))
            if md.startswith("| "):
                heads.append(md.splitlines()[0])
    with_badges = [h for h in heads if "<sup" in h]
    assert len(with_badges) >= 2, heads
    for head in with_badges:
        assert not re.search(r"\S<sup", head), head
        assert not re.search(r"\| Published <sup[^>]*>published</sup>", head), head


def test_a_number_joined_to_its_mark_by_a_no_break_space_is_still_a_number_column():
    """Table cells keep U+00A0 since chapter 2's rule labels need it; Table 7.1's estimates join
    their ✓/✗ with one ("1.011\xa0✗¹ (1.007–1.014)"), and its columns lost their right
    alignment (":--" for "--:")."""
    import pandas as pd

    from analysis.book import table_markdown

    table = pd.DataFrame(
        {
            "variable": ["AST", "CRP"],
            "estimate": ["1.011\xa0✗¹ (1.007–1.014)", "1.135\xa0✓ (1.0–1.3)"],
        }
    )
    assert table_markdown(table)[0].splitlines()[1] == "|:--|--:|"


def _group(result, value, who, short, nobody):
    """Chapter 6's prose for one group of ``result`` (analysis.survival.group_comparison)."""
    from analysis import formatting

    g = result["groups"][value]
    return book.GroupMedian(
        who, short, str(g["n"]), f"{formatting.median_text(g['median'])} months",
        formatting.median_interval(g["lower"], g["upper"]), "3.4 months (0.5–13.6)",
        reason=g["reason"], nobody=nobody,
    )  # fmt: skip


def test_an_empty_group_gets_a_sentence_of_its_own_not_a_median_or_a_log_rank_p():
    """Chapter 6 §6.3.2 on a cohort where nobody had more than 4 prior TACE sessions read
    "with more than 4 (0) it is not estimable (nobody in this group) months (interval not
    estimable), against 3.4 months (0.5–13.6) in the paper. Log-rank P not estimable, against
    P = 0.01 in the paper." (§6.3.1 the same with nobody in one response group). The missing
    median and the log-rank test now each get a sentence of their own saying why."""
    from analysis.survival import group_comparison

    time, event = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1, 1, 0, 1, 1, 1]
    labels = {"2–4": "2–4 prior TACE", ">4": "> 4 prior TACE"}
    result = group_comparison(time, event, ["2–4"] * 6, ["2–4", ">4"], labels=labels)
    few = _group(result, "2–4", "patients with 2–4 prior TACE sessions", "those with 2–4", "")
    many = _group(
        result, ">4", "patients with more than 4 prior TACE sessions", "those with more than 4",
        "no patient of this cohort had more than 4",
    )  # fmt: skip
    medians = book.group_medians_sentence(few, many)
    assert medians.startswith("Patients with 2–4 prior TACE sessions (6) have a median OS of 4.0")
    assert medians.endswith(
        " The median OS of the patients with more than 4 prior TACE sessions cannot be computed "
        "on this cohort: no patient of this cohort had more than 4. The paper's is 3.4 months "
        "(0.5–13.6)."
    ), medians
    logrank = book.logrank_sentence("", "P = 0.01", reason=result["reason"])
    assert logrank == (
        "The log-rank test cannot be computed on this cohort: only one group has patients, "
        "nobody in the group “> 4 prior TACE”. The paper gives P = 0.01."
    )
    for text in (medians, logrank):
        assert "not estimable" not in text and "(0)" not in text and "nobody in this" not in text
    # a group whose curve never reaches one half: said in words, not "not reached months"
    result = group_comparison(time, [1, 1, 1, 0, 0, 0], [1, 1, 1, 0, 0, 0], [1, 0])
    reached = _group(result, 1, "patients with disease control", "those with disease control", "")
    alive = _group(result, 0, "patients with progressive disease", "those with it", "")
    assert alive.reason == "no events in this group"
    medians = book.group_medians_sentence(reached, alive)
    assert "cannot be computed on this cohort: no events in this group." in medians, medians
    result = group_comparison(time, [1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0], [1, 0])
    alive = _group(result, 0, "patients with progressive disease", "those with it", "")
    assert alive.reason == "median not reached"
    medians = book.group_medians_sentence(reached, alive)
    assert "Patients with progressive disease (3) have not reached a median OS" in medians
    assert "not reached months" not in medians, medians


def test_a_users_group_of_three_shows_no_median_interval_or_log_rank_p():
    """Reviewer (chapter 6): on a user's cohort a group of fewer than 5 patients was not drawn,
    but its median and interval printed in the prose ("those with more than 4 (<5) 6.4 months
    (−5.2 to 17.9)"), in Table 6.3 and its CSV. A 15-patient cohort with 3 patients having
    more than 4 prior TACE sessions: their median, interval and the log-rank P read "not shown
    (fewer than 5 patients)", with no note giving a number of theirs; the 12 others print; the
    book's own cohort hides nothing."""
    from analysis import formatting
    from analysis.cohort import derive, load_cohort
    from analysis.privacy import NOT_SHOWN_SMALL_GROUP
    from analysis.verdicts import NOT_SCORED

    whole = derive(load_cohort(None))
    many = whole[whole["prior_tace_group"] == "2–4"].head(12)
    few = whole[whole["prior_tace_group"] == ">4"].head(3)
    cohort = pd.concat([many, few], ignore_index=True)
    comparisons = book.survival_comparisons(cohort, cohort_path="mine.csv")
    assert comparisons.hidden["prior_tace"] == [">4"]
    table = comparisons.table.set_index("quantity")
    for row in ("median OS, > 4 prior TACE", "95% CI (SPSS), > 4 prior TACE",
                "log-rank P, 2–4 prior TACE vs > 4 prior TACE"):  # fmt: skip
        assert table.loc[row, "your cohort"] == NOT_SHOWN_SMALL_GROUP, table.loc[row]
        assert table.loc[row, "reason"] == "" and table.loc[row, "verdict"] == NOT_SCORED
    assert table.loc["median OS, 2–4 prior TACE", "your cohort"][0].isdigit()  # 12: shown
    g = comparisons.results["prior_tace"]["groups"][">4"]
    hidden_numbers = (
        formatting.median_interval(g["lower"], g["upper"]),
        f"{formatting.median_text(g['median'])} ±",
    )
    notes = [comparisons.below_zero["> 4 prior TACE"], *comparisons.unnoted]
    notes += [str(n) for n in comparisons.notes.values() if n is not None]
    assert not [n for n in notes if any(x in n for x in hidden_numbers)], notes
    # a group of 5 or more, or the book's cohort: shown
    book_cohort = book.survival_comparisons(whole)
    assert book_cohort.hidden == {"dc": [], "prior_tace": [], "additional_tace": []}
    # the sentences: no number of the group, the paper's numbers kept
    hidden = book.GroupMedian(
        "patients with more than 4 prior TACE sessions", "those with more than 4", "<5",
        "0.4 months", "−4.0 to 4.8", "3.4 months (0.5–13.6)", hidden=NOT_SHOWN_SMALL_GROUP,
    )  # fmt: skip
    shown = book.GroupMedian(
        "patients with 2–4 prior TACE sessions", "those with 2–4", "hidden", "10.7 months",
        "4.7–16.6", "14 months (8.5–19.5)",
    )  # fmt: skip
    sentence = book.group_medians_sentence(shown, hidden)
    assert "0.4" not in sentence and "4.8" not in sentence, sentence
    assert f"and its interval are {NOT_SHOWN_SMALL_GROUP}" in sentence and "3.4 months" in sentence
    logrank = book.logrank_sentence("= 0.081", "P = 0.01", hidden=NOT_SHOWN_SMALL_GROUP)
    assert "0.081" not in logrank and NOT_SHOWN_SMALL_GROUP in logrank and "P = 0.01" in logrank


def test_r_and_lifelines_intervals_are_not_compared_with_the_papers_spss_interval():
    """Reviewer (chapter 6): Tables 6.1 and 6.2 put the paper's SPSS interval in the Published
    column of the R and lifelines rows and scored them ✗; the paper printed no R or lifelines
    interval. Those rows show "—" and "not comparable" with a note saying the paper used SPSS;
    the SPSS row keeps its comparison. A user's cohort: "—" too, not scored."""
    from analysis.verdicts import NOT_COMPARABLE, NOT_SCORED

    medians = {"spss": (9.9, 8.66, 11.04), "log": (9.9, 6.6, 14.0), "log-log": (9.9, 6.4, 12.2)}
    table, _ = book.median_comparison(medians, 14.0, "os")
    assert table["published"].tolist() == ["9.9", "8.7–11", "—", "—", "14.0"]
    assert table["verdict"].tolist()[1:4] == ["agrees", NOT_COMPARABLE, NOT_COMPARABLE]
    assert all(r.startswith("the paper used SPSS") for r in table["reason"][2:4])
    text, notes = book.table_markdown(table)
    assert "✗" not in text and text.count("not comparable") == 2, text
    assert len(notes) == 2 and all("the paper used SPSS" in n for n in notes)
    yours, _ = book.median_comparison(medians, 14.0, "os", cohort_path="mine.csv")
    assert yours["published"].tolist()[2:4] == ["—", "—"]
    assert set(yours["verdict"]) == {NOT_SCORED}


def test_an_infeasible_published_interval_is_marked_infeasible_not_merely_missed():
    """Reviewer (chapter 6): Table 6.3 set this cohort's "−0.6 to 7.4" under Reproduced beside
    the paper's 0.5–13.6 with a bare ✗, as if a reproduction had missed; no cohort prints that
    interval (chapter 1's Table 1.2, three infeasible intervals). Its verdict says infeasible."""
    from analysis.cohort import derive, load_cohort
    from analysis.verdicts import DIFFERS, INFEASIBLE

    comparisons = book.survival_comparisons(derive(load_cohort(None)))
    verdicts = dict(zip(comparisons.table["quantity"], comparisons.table["verdict"], strict=True))
    assert verdicts["95% CI (SPSS), > 4 prior TACE"] == INFEASIBLE
    assert verdicts["95% CI (SPSS), no additional TACE"] == INFEASIBLE
    assert DIFFERS not in verdicts.values()
    text, _ = book.table_markdown(comparisons.table)
    assert re.findall(r"✗[¹²³] infeasible", text) == ["✗¹ infeasible", "✗² infeasible"], text


def test_a_figure_line_prints_typographic_apostrophes():
    """Review: "In this figure: the paper's medians · … the generator's" under the figures of
    chapters 1–7 (raw HTML: Sphinx's smart quotes skip it) beside prose printing "paper’s"."""
    line = book.figure_provenance(
        {
            "the paper's medians (dashed lines)": "published",
            "the 2022 rules' bars (the synthetic patients' stages)": "assumed",
            "the curves": book.Provenance("assumed", "the generator's curve shape"),
        }
    )
    assert "the paper’s medians (dashed lines)" in line
    assert "the 2022 rules’ bars (the synthetic patients’ stages)" in line
    assert "the generator’s curve shape</sup>" in line
    assert "'" not in line and "&#x27;" not in line


def test_a_tables_short_header_parenthetical_and_hyphened_number_do_not_break():
    """Review (390 px phone): headers broke inside their parenthesis, Table 9.1's "HR (95% CI)"
    reading "HR (95% / CI)", and dose sheets' "5-fluorouracil" at its hyphen (at 1366 px too,
    Table 3.8). A table shows the words of a short parenthetical joined by no-break spaces and
    a number's hyphen to its word as a no-break hyphen; a long parenthetical still breaks, and
    the CSV download keeps the plain headers and values."""
    df = pd.DataFrame(
        {
            "drug": ["5-fluorouracil", "cisplatin"],
            "HR (95% CI)": ["1.2 (0.5–2.0)", "0.9 (0.4–1.8)"],
            "Median OS, months (≤ c / > c)": ["9.9 / 8.0", "7.1 / 6.0"],
            "Variable (paper, then this cohort)": ["Log-rank", "1.5-fold"],
        }
    )
    head, _, first, second = book.table_markdown(df)[0].splitlines()
    assert head == (
        "| Drug | HR (95%\xa0CI) | Median OS, months (≤\xa0c\xa0/\xa0\\>\xa0c) "
        "| Variable (paper, then this cohort) |"
    )
    assert first.startswith("| 5\u2011fluorouracil |") and "| Log-rank |" in first
    assert "| 1.5-fold |" in second  # not a number hyphened to a word
    glued = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(book, "glue", lambda name, value, display: glued.update({name: value}))
        book.glue_table("tbl-demo", df)
    csv = base64.b64decode(re.search(r"base64,([^\"]+)", glued["tbl-demo-notes"].data).group(1))
    assert csv.decode("utf-8").splitlines()[:2] == [
        'drug,HR (95% CI),"Median OS, months (≤ c / > c)","Variable (paper, then this cohort)"',
        "5-fluorouracil,1.2 (0.5–2.0),9.9 / 8.0,Log-rank",
    ]


def test_table_2_layout_keeps_its_headers_parentheticals_whole():
    """Tables 7.4 and 7.5 ("Univariate HR (95% CI)") broke as "(95% / CI)" at 1366 px."""
    text = book._pipe_table(
        ["Univariate HR (95% CI)", "P"], [["1.0 (0.9–1.1)", "0.5"]], [":--"] * 2
    )
    assert text.splitlines()[0] == "| Univariate HR (95%\xa0CI) | P |"


def test_a_tables_no_break_hyphen_leaves_code_and_links_alone():
    """The no-break hyphen is for words a reader reads: a code span (a chapter's name a reader
    types, `02-eligibility`), a role's target and an HTML tag keep their hyphens, whether the
    text is Markdown or a table cell's escaped text."""
    text = "`02-eligibility` and 5-FU, {ref}`chapter 1 <data-01-x>`, <a href='#t-01-x'>1-day</a>"
    assert book._unbroken(text) == text.replace("5-FU", "5\u2011FU").replace("1-day", "1\u2011day")
    row = book.table_markdown(pd.DataFrame({"what": ["`02-eligibility` and 5-FU"]}))[0]
    assert row.splitlines()[2] == "| \\`02-eligibility\\` and 5\u2011FU |"
