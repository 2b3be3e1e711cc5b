"""Provenance classes: one vocabulary, carried by the result objects, glued as a badge."""

from __future__ import annotations

import pytest

from analysis import provenance
from analysis.survival import logrank, mean_survival, median_survival


def test_vocabulary_and_badge():
    assert provenance.CLASSES == ("published", "determined", "assumed")
    badge = provenance.Provenance("published")._repr_markdown_()
    assert (
        badge.startswith('<sup class="provenance provenance-published"')
        and ">published</sup>" in badge
    )
    note = provenance.assumed("timing of <TACE> & response")
    assert "timing of &lt;TACE&gt; &amp; response" in note._repr_markdown_()  # escaped
    assert note.label == "(assumed: timing of <TACE> & response)"
    with pytest.raises(ValueError):
        provenance.Provenance("maybe")


def test_classify_is_the_threshold_rule():
    assert provenance.classify(0.1, 0.1) == "determined"
    assert provenance.classify(0.1000001, 0.1) == "assumed"
    assert provenance.classify(float("nan"), 1.0) == "assumed"


def test_determined_claims_no_cohort_that_reproduces_the_whole_paper():
    """No cohort reproduces every printed number (part of Table 2 is out of reach), so neither
    the tooltip nor the ensemble's description may say so: a determined result is the same in
    every cohort calibrated to the same targets with the same generator choices, by seed."""
    from analysis import ensemble

    meaning = provenance.MEANINGS[provenance.DETERMINED]
    assert "reproduces the paper" not in meaning
    assert "same targets" in meaning and "generator choices" in meaning and "seed" in meaning
    badge = provenance.Provenance(provenance.DETERMINED).badge()
    assert "same targets" in badge
    doc = " ".join(ensemble.__doc__.split())
    assert "reproduces the paper's printed numbers" not in doc
    assert "no cohort reproduces all of them" in doc


def test_result_objects_carry_and_glue_their_class(monkeypatch):
    glued = {}
    from analysis import survival

    monkeypatch.setattr(
        survival, "glue", lambda name, value, display=True: glued.update({name: value})
    )
    t, e = [1, 2, 3, 4, 5], [1, 1, 0, 1, 1]
    med = median_survival(t, e).with_provenance("published")
    assert tuple(med) == tuple(median_survival(t, e))  # numbers unchanged, still unpacks
    assert med.provenance == provenance.Provenance("published")
    med.glue("m")
    assert str(glued["m.provenance"]) == "published" and "m.median" in glued
    mean_survival(t, e).with_provenance("assumed", "heights").glue("a")
    assert str(glued["a.provenance"]) == "assumed: heights"
    lr = logrank(t, e, [0, 1, 0, 1, 0])
    lr.glue("plain")
    assert "plain.provenance" not in glued  # no class given, no badge


def test_published_carries_the_verdict_mark():
    assert str(provenance.published(True)) == "published ✓"
    assert str(provenance.published(False)) == "published ✗"
    assert str(provenance.published()) == "published"
    with pytest.raises(TypeError):
        provenance.published("agrees")  # verdict words are mapped once, in analysis.book
    compact = provenance.assumed("timing of additional TACE").badge(compact=True)
    assert compact.endswith(">assumed</sup>") and "(timing of additional TACE)" in compact


def _glued(monkeypatch):
    from analysis import book

    glued = {}
    monkeypatch.setattr(book, "glue", lambda name, value, display=True: glued.update({name: value}))
    return book, glued


def test_glue_result_glues_the_number_and_its_badge(monkeypatch):
    book, glued = _glued(monkeypatch)
    assert book.glue_result("os", "13.2", "published") == "13.2"
    assert glued["os"] == "13.2" and str(glued["os.provenance"]) == "published"
    book.glue_result("tv", "1.39", "assumed", "timing", user=True)  # a user's cohort: no badge
    assert glued["tv"] == "1.39" and glued["tv.provenance"].data == ""


def test_verdict_provenance_reads_the_compare_table():
    import pandas as pd

    from analysis.book import verdict_provenance

    table = pd.DataFrame(
        {"quantity": ["a", "b", "c"], "verdict": ["agrees", "differs", "not scored (your cohort)"]}
    )
    assert str(verdict_provenance(table, "a")) == "published ✓"
    assert str(verdict_provenance(table, "a", "b")) == "published ✗"  # one miss is a miss
    assert str(verdict_provenance(table, "c")) == "published"


def test_glue_table_shows_the_class_once_per_table_column_or_row(monkeypatch):
    import pandas as pd

    book, glued = _glued(monkeypatch)
    df = pd.DataFrame({"quantity": ["median", "mean"], "value": ["13.2", "15.0"]})
    book.glue_table("tbl-a", df, provenance="determined")
    assert "Every number in this table: <sup" in glued["tbl-a-notes"].data
    book.glue_table("tbl-b", df, provenance={"value": "published"})
    header = glued["tbl-b"].data.splitlines()[0]
    assert header.startswith("| Quantity | value <sup") and ">published</sup>" in header
    book.glue_table("tbl-c", df, provenance=[provenance.assumed("heights"), None])
    lines = glued["tbl-c"].data.splitlines()
    assert lines[0].endswith("| Class |")
    assert lines[2].endswith(">assumed</sup> |") and lines[3].endswith("|  |")
    book.glue_table("tbl-d", df, provenance="published", user=True)  # a user's cohort
    assert "<sup" not in glued["tbl-d"].data + glued["tbl-d-notes"].data
    with pytest.raises(ValueError):
        book.glue_table("tbl-e", df, provenance=["published"])


def test_a_badge_never_breaks_after_its_class():
    """A printed sheet of chapter 6 ended with "assumed:", its reason on the next sheet: the
    class and its note are joined by a no-break space (the note itself may wrap)."""
    from analysis.provenance import assumed

    text = assumed("varies across calibrated cohorts").badge()
    assert ">assumed:\u00a0varies across calibrated cohorts<" in text


def test_a_cohort_estimate_the_paper_contradicts_is_assumed():
    """A hostile reader: Table 7.4 badged "determined" this cohort's multivariable prior-TACE HR
    1.114 ✗ (the paper prints 1.521), because every calibrated cohort misses it alike. The paper
    prints another value, so the estimate rests on the generator's draw: assumed, saying why.
    One rule (provenance.cohort_estimate), used by book.table2_provenance and glue_table2."""
    import pandas as pd

    from analysis import book

    determined = provenance.Provenance(provenance.DETERMINED)
    contradicted = provenance.cohort_estimate(determined, False)
    assert contradicted.kind == provenance.ASSUMED
    assert contradicted.note == provenance.CONTRADICTED == "the paper prints another value"
    assert provenance.cohort_estimate(determined, True) == provenance.Provenance(
        provenance.DETERMINED, provenance.REPRODUCED
    )
    assert provenance.cohort_estimate(determined, None) == determined
    varies = provenance.assumed("varies across calibrated cohorts")
    assert provenance.cohort_estimate(varies, False) == varies

    ids = ["table2.prior_tace_gt4.multi.hr", "table2.prior_tace_gt4.multi.interval"]
    assert str(book.table2_provenance(ids)) == "determined"  # the ensemble's spread alone
    columns = ["hr", "lower", "upper", "p"]
    ours = {"multivariate": pd.DataFrame([[1.114, 1.023, 1.213, 0.01]], columns=columns,
                                         index=["prior_tace_gt4"])}  # fmt: skip
    assert book.table2_provenance(ids, ours) == contradicted
    printed = {"multivariate": pd.DataFrame([[1.521, 1.054, 2.196, 0.02]], columns=columns,
                                            index=["prior_tace_gt4"])}  # fmt: skip
    assert str(book.table2_provenance(ids, printed)) == "determined"


def test_contradicted_badge_has_its_own_tooltip():
    """Review: every "assumed: the paper prints another value" badge carried the generic assumed
    tooltip "depends on choices made for the synthetic cohort, not on the paper", which an
    estimate of a number the paper prints contradicts."""
    p = provenance.cohort_estimate(provenance.Provenance(provenance.DETERMINED), False)
    for badge in (p.badge(), p.badge(compact=True)):
        assert "not on the paper" not in badge
        assert "the paper prints another value, so it rests on the generator" in badge
    assert p.badge(compact=True).endswith(">assumed</sup>")
    # another assumed reason keeps the generic tooltip
    assert "not on the paper (heights)" in provenance.assumed("heights").badge(compact=True)


def test_determined_covers_a_reproduced_printed_number():
    """Review: "1.011, as the paper prints it" carried a determined badge whose tooltip began
    "not printed": this cohort's estimate of a printed number that it reproduces is determined
    with a tooltip that says so, and the legend's meaning covers it."""
    p = provenance.cohort_estimate(provenance.Provenance(provenance.DETERMINED), True)
    assert str(p) == "determined" and p.kind == provenance.DETERMINED
    for badge in (p.badge(), p.badge(compact=True)):
        assert "not printed" not in badge and "which it reproduces" in badge
        assert badge.endswith(">determined</sup>")
    assert "printed number that it reproduces" in provenance.MEANINGS[provenance.DETERMINED]


@pytest.mark.parametrize(("text", "typeset"), [
    ("the paper's medians", "the paper’s medians"),
    ("the 2022 rules' bars (the synthetic patients' stages)",
     "the 2022 rules’ bars (the synthetic patients’ stages)"),
    ("AST's open square (the paper's per-U/L ratio)", "AST’s open square (the paper’s per-U/L ratio)"),
    ("the earlier TACE's epirubicin", "the earlier TACE’s epirubicin"),
    ("'HR ✓ (interval)' and 'yes'", "‘HR ✓ (interval)’ and ‘yes’"),
    ("no quote at all, and ’ already", "no quote at all, and ’ already"),
    ("a lone ' stays", "a lone ' stays"),
])  # fmt: skip
def test_typographic_sets_apostrophes_and_single_quotes(text, typeset):
    assert provenance.typographic(text) == typeset
    assert provenance.typographic(typeset) == typeset  # once is enough


def test_a_badge_prints_typographic_apostrophes_in_its_note_and_tooltip():
    """Review: the badges and the lines under figures printed "the generator's", "this cohort's"
    (raw HTML, which Sphinx's smart quotes skip) beside prose that prints "the generator’s"."""
    badge = provenance.assumed("curve shape between the published medians is the generator's")
    html = badge.badge()
    assert "generator’s</sup>" in html and "'" not in html and "&#x27;" not in html
    compact = provenance.assumed("the paper's choice").badge(compact=True)
    assert "(the paper’s choice)" in compact and "&#x27;" not in compact
    for reproduced in (True, False):
        estimate = provenance.cohort_estimate(provenance.Provenance("determined"), reproduced)
        html = estimate.badge()
        assert 'title="this cohort’s estimate' in html and "&#x27;" not in html
