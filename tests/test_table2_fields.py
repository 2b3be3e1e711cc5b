"""tables.table2 hands over what its ``reason`` sentence says as data (``differing``, ``remark``,
``why``: tables.TABLE2_FIELDS), and book.glue_table2's ✗ notes are made from those fields: a
rewording of the sentence can no longer give notes without their cells (book._differs_note read
the cells and the remark back out of the sentence with a regular expression)."""

from __future__ import annotations

import re
from unittest import mock

import pandas as pd
import pytest

from analysis import book, paper, tables
from analysis.cohort import derive, load_cohort
from analysis.formatting import word_list
from analysis.tables import TABLE2_FIELDS, coding_comparison, differing_cells_text, table2

CODINGS = ("implied", "stated")


@pytest.fixture(scope="module")
def cohort():
    return derive(load_cohort())


@pytest.fixture(scope="module")
def made(cohort):
    """``{coding: (table2, table2_models)}`` on the book's cohort."""
    return {c: (table2(cohort, c), tables.table2_models(cohort, c)) for c in CODINGS}


def test_the_fields_are_what_the_reason_says(made):
    """Every row's reason is its differing cells in words, then its remark: the fields and the
    sentence cannot disagree; a ✗ row names its cells or its missing estimate, a ✓ row none."""
    for coding, (table, _) in made.items():
        assert table.columns.tolist()[-3:] == list(TABLE2_FIELDS)
        for r in table.itertuples():
            assert isinstance(r.differing, tuple)
            assert list(r.differing) == [c for c in ("hr", "interval", "p") if c in r.differing]
            said = "; ".join(p for p in (differing_cells_text(r.differing), r.remark) if p)
            assert r.reason == said, (coding, r.term, r.model)
            if r.verdict == "agrees":
                assert r.differing == () and r.remark == "" and r.why == ""
            if r.verdict == "differs":
                assert r.differing or r.why
            if r.why:
                assert r.reproduced == "–" and f"({r.why})" in r.reason
        coded = table[
            table["term"].isin(tables.TABLE2_IMPLIED_TERMS) & (table["verdict"] == "differs")
        ]
        assert len(coded) and coded["remark"].ne("").all()
        words = "coded per unit" if coding == "implied" else "per-unit effect"
        assert coded["remark"].str.contains(words).all()


def test_a_users_cohort_keeps_the_fields_only_where_nothing_is_shown(cohort):
    """Not scored: no cells differ on a user's cohort; a row with no estimate keeps its why."""
    table = table2(cohort.assign(additional_tace=0), "implied", user=True)
    kept = 0
    for r in table.itertuples():
        if not str(r._6).startswith("–"):  # "your cohort", the sixth column
            assert r.reason == r.remark == r.why == "" and r.differing == ()
        elif r.why:
            assert f"({r.why})" in r.reason and r.differing == ()
            kept += 1
    assert kept


def test_coding_comparison_hands_over_the_differing_cells(cohort, made):
    """Table 7.1's ✗ notes said Table 2's reason up to its ";" (the remark cut off by a split);
    they now say the ``<coding> differing`` field in the reason's words."""
    codings = coding_comparison(cohort)
    for coding, (table, _) in made.items():
        rows = table.set_index(["term", "model"])
        for _, r in codings.iterrows():
            got = r[f"{coding} differing"]
            assert got == rows.loc[(r["term"], r["model"]), "differing"]
            if got:  # the words Table 7.1 printed before: the reason up to its ";"
                assert differing_cells_text(got) == r[f"{coding} reason"].split(";")[0]


def _old_differs_note(reason: str, bad: list[str], groups) -> tuple[str, str]:
    """book._differs_note as it was: the cells and the remark read out of the reason."""
    cell = r"(?:HR|CI|P)"
    found = re.match(
        rf"^({cell}(?:, {cell})*(?: and {cell})?) differs?(?: at the printed decimals)?(?:; (.*))?$",
        reason,
    )
    detail, remark = (found.group(1), found.group(2) or "") if found else ("", reason)
    if bad:
        detail = word_list([book._CELL_NAMES[part] for part in bad])
    if len(groups) == 1 and groups[0][0] == detail:
        body = groups[0][1]
    else:
        body = "; ".join(f"{cells}: {why}" for cells, why in groups)
        named = {c for cells, _ in groups for c in re.split(r", | and ", cells)}
        if named == set(re.split(r", | and ", detail)):
            detail = ""
    said = " — ".join(p for p in (book._md_escape(remark), body) if p)
    return detail, said or "not the paper's printed value"


def _differing_rows(made, infeasible):
    for coding, (table, fits) in made.items():
        for r in table[table["verdict"] == "differs"].itertuples():
            key = "uni" if r.model == "univariate" else "multi"
            fit = fits["univariate" if key == "uni" else "multivariate"]
            base = f"table2.{r.term}.{key}"
            have = [p for p in ("hr", "interval", "p") if f"{base}.{p}" in paper_ids()]
            bad = [p for p in have if not book._cell_agrees(fit, r.term, p, f"{base}.{p}")]
            groups = book._cell_reasons_note(base, bad, {}, infeasible, "tbl-cox-feasibility")
            yield coding, r, bad, groups


def paper_ids():
    from analysis import published

    return set(published.ids("table2."))


def test_the_notes_are_those_the_sentence_gave(made):
    """On the book's cohort, both codings: every ✗ row's note made from the fields is the one
    the reason sentence gave (the old parse, kept here as the reference)."""
    infeasible = paper.infeasible_short_reasons(paper.table2_feasibility())
    n = 0
    for coding, r, bad, groups in _differing_rows(made, infeasible):
        new = book._differs_note(r.differing, r.remark, bad, groups)
        # the old function took each group's cells as words ("HR and CI")
        worded = [(word_list(list(cells)), why) for cells, why in groups]
        assert new == _old_differs_note(r.reason, bad, worded), (coding, r.term, r.model)
        # and from the fields alone, without this cohort's fit, the cells are the row's
        assert book._differs_note(r.differing, r.remark, [], [])[0] == word_list(
            [book._CELL_NAMES[p] for p in r.differing]
        )
        n += 1
    assert n >= 20


def _glued_notes(table, fits, infeasible):
    with mock.patch("analysis.book.glue") as glue:
        book.glue_table2("tbl-t2", table, fits, infeasible=infeasible)
    return glue.call_args_list[0].args[1].data, glue.call_args_list[1].args[1].data


def test_a_reworded_reason_loses_no_cell(made):
    """The notes (and marks) do not read the reason sentence: reworded, or gone, it changes
    nothing in Tables 7.4 and 7.5 but the download, which keeps the sentence as given."""
    infeasible = paper.infeasible_short_reasons(paper.table2_feasibility())
    for table, fits in made.values():
        text, notes = _glued_notes(table, fits, infeasible)
        assert "(HR" in notes or "(CI" in notes or "(P" in notes  # cells said beside rows
        reworded = table.assign(
            reason=table["reason"].str.replace("differ", "are off", regex=False)
        )
        text2, notes2 = _glued_notes(reworded, fits, infeasible)
        assert text2 == text
        strip = re.compile(r'<p class="downloads">.*</p>', re.S)
        assert strip.sub("", notes2) == strip.sub("", notes)
        gone = table.assign(reason="")
        assert _glued_notes(gone, fits, infeasible)[0] == text
        assert strip.sub("", _glued_notes(gone, fits, infeasible)[1]) == strip.sub("", notes)


def test_the_download_keeps_the_columns_it_had(made):
    """The fields stay out of the CSV of Tables 7.4 and 7.5: the reason says them in words."""
    import base64

    table, fits = made["implied"]
    _, notes = _glued_notes(table, fits, {})
    csv = base64.b64decode(re.search(r"base64,([^\"]+)", notes).group(1)).decode()
    header = csv.splitlines()[0].split(",")
    assert header == [c for c in table.columns if c not in TABLE2_FIELDS]
    assert pd.Series(header).isin(TABLE2_FIELDS).sum() == 0
