"""Chapter 6 after the hostile review of session 21 (its items 2, 4, 5, 12, 13
and 15): what the golden notebook shows and what the chapter's source says."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from test_chapter_outputs import PUBLISHED_BADGE, _glued

from analysis.plots import SHORT_LABELS

ROOT = Path(__file__).resolve().parent.parent
STEM = "06-survival"


def _golden() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "chapters" / f"{STEM}.ipynb", as_version=4)


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def _stream(cell) -> str:
    return "".join(
        "".join(o["text"]) for o in cell.get("outputs", []) if o.get("output_type") == "stream"
    )


def test_the_counts_of_6_1_come_from_one_short_visible_call():
    """Review item 4: §6.1 printed "82 patients, 68 deaths, 14 censored" from nine lines of
    privacy.glued_counts; one call of the package gives the counts as a page may print them
    (three lines of code; its comment has a line of its own within 80 characters)."""
    nb = _golden()
    cell = next(c for c in nb.cells if c.cell_type == "code" and " censored" in _stream(c))
    assert not _tags(cell), _tags(cell)  # visible
    assert _stream(cell).strip() == "82 patients, 68 deaths, 14 censored"
    lines = [line for line in cell.source.splitlines() if line.strip()]
    code = [line for line in lines if not line.lstrip().startswith("#")]
    assert len(code) <= 3, lines
    assert "survival_counts(" in cell.source and "glued_counts" not in cell.source


def test_a_printed_handout_shows_no_bookkeeping_of_tables_6_1_and_6_2():
    """Review item 13: the printed chapter showed the METHOD_LABEL and METHOD_REASON dicts and
    the list that classes Table 6.1's rows (os_classes), folded cells the PDF prints. The package
    builds both tables and their classes (analysis.book.median_comparison)."""
    printed = "\n".join(
        c.source for c in _golden().cells if c.cell_type == "code" and "remove-cell" not in _tags(c)
    )
    for plumbing in (
        "METHOD_LABEL",
        "METHOD_REASON",
        "glued_counts(",
        "os_classes = [",
        "pfs_classes = [",
    ):
        assert plumbing not in printed, plumbing
    assert "book.median_comparison(" in printed


def _kind(badge: str) -> str:
    found = re.search(r"provenance-(\w+)", badge)
    assert found, badge
    return found[1]


def test_no_value_of_this_cohort_is_badged_published():
    """Review item 2: §6.1.1 badged this cohort's median (9.9), its SPSS interval and mean
    "published ✓", §6.2 the PFS median, Exercise 6.1 this cohort's half-width of 1.20 months
    "published", the log-rank P of §6.3 "published ✓" — while Tables 6.1–6.3 class the same
    values determined, and §6.3.1 badged this cohort's medians determined and the paper's
    published. A published badge now follows only a number of the paper (a glue name with
    "pub"); every value of this cohort carries a class."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    nb = _golden()
    pairs = re.findall(
        r"\{glue:text\}`([^`]+)`[^{}\n]{0,12}\{glue:md\}`([^`:]+):commonmark`", source
    )
    assert len(pairs) > 12  # the summary's comparisons, the intervals: glued whole, checked below
    published = [(value, badge) for value, badge in pairs if PUBLISHED_BADGE in _glued(nb, badge)]
    assert published, "the paper's numbers keep their badge"
    assert [p for p in published if "_pub" not in p[0]] == []
    # §6.3's sentences are glued whole (a group without patients gets a sentence of its own):
    # there a published badge follows only the paper's number, "... in the paper"
    # (so are the restricted means' clauses: none without an event, said in words)
    keys = ("dc", "prior_tace", "additional_tace")
    glued_whole = [
        *(name for key in keys for name in (f"surv_{key}_groups", f"surv_lr_{key}_sentence")),
        "surv_os_mean_clause",
        "surv_pfs_mean_clause",
        "surv_os_ci_sentence",
        "surv_ex_se_sentence",
    ]
    for name in glued_whole:
        sentence = _glued(nb, name)
        badges = re.findall(r"(<sup [^>]*>)[^<]*</sup>(.{0,13})", sentence)
        assert len(badges) >= 2, (name, sentence)
        for badge, after in badges:
            # a published median reproduced beside a published interval that is not gets its
            # own badge before the interval: "3.4 months ✓ (0.5–13.6) ✗ in the paper"
            paper = after == " in the paper" or re.match(r" \([^()]*\)<s", after)
            assert (PUBLISHED_BADGE in badge) == bool(paper), (name, badge, after)
    # the summary's clauses, glued whole too (a cohort without deaths gets words, not "not
    # estimable against not estimable"): a published badge follows only the paper's P there,
    # and the SPSS intervals of this cohort's medians carry none
    for key in keys:
        clause, paper = _glued(nb, f"surv_brief_{key}"), _glued(nb, f"surv_lr_{key}_pub").strip("'")
        badges = list(re.finditer(r"<sup [^>]*>", clause))
        assert len(badges) >= 2, (key, clause)
        for badge in badges:
            after_paper = clause[: badge.start()].endswith(
                (f"the paper's {paper}", f"the paper gives {paper}")
            )
            assert (PUBLISHED_BADGE in badge[0]) == after_paper, (key, clause)
    for name in ("surv_brief_os_ci", "surv_brief_pfs_ci"):
        clause = _glued(nb, name)
        assert "<sup" in clause and PUBLISHED_BADGE not in clause, (name, clause)
    # (this cohort's intervals and SE are in sentences glued whole, checked above)
    for name in ("surv_os_median", "surv_pfs_median"):
        badges = [badge for value, badge in pairs if value == name]
        assert badges and all(PUBLISHED_BADGE not in _glued(nb, b) for b in badges), name


def _class_column(nb, table: str) -> list[str]:
    rows = [r for r in _glued(nb, table).splitlines()[2:] if r.startswith("|")]
    return [_kind(r.rstrip(" |").rsplit(" | ", 1)[1]) for r in rows]


def test_the_prose_badges_this_cohorts_values_as_their_tables_class_them():
    """Review item 2: one convention on the page. A value of this cohort in the prose has the
    class of its row of Table 6.1, 6.2 or 6.3; the paper's number beside it is published, with
    the verdict of the same rows."""
    nb = _golden()
    os_rows, pfs_rows = _class_column(nb, "tbl-surv-os"), _class_column(nb, "tbl-surv-pfs")
    for badge, kind in (
        ("surv_os_median.provenance", os_rows[0]),
        ("surv_os_ci_spss.provenance", os_rows[1]),
        ("surv_os_ci_log.provenance", os_rows[2]),
        ("surv_os_ci_loglog.provenance", os_rows[3]),
        ("surv_os_mean.provenance", os_rows[4]),
        ("surv_pfs_median.provenance", pfs_rows[0]),
        ("surv_pfs_ci_spss.provenance", pfs_rows[1]),
        ("surv_pfs_mean.provenance", pfs_rows[4]),
    ):
        assert _kind(_glued(nb, badge)) == kind, badge
    comparisons = _glued(nb, "tbl-surv-comparisons").splitlines()[2:]
    for key in ("dc", "prior_tace", "additional_tace"):
        row = next(
            r
            for r in comparisons
            if r.startswith("| log-rank P")
            and (
                {
                    "dc": "disease control",
                    "prior_tace": "prior TACE",
                    "additional_tace": "additional TACE",
                }[key]
                in r
            )
        )
        assert _kind(_glued(nb, f"surv_lr_{key}.provenance")) == _kind(
            row.rstrip(" |").rsplit(" | ", 1)[1]
        )
        assert "published\xa0✓" in _glued(nb, f"surv_lr_{key}_pub.provenance")
    for name in ("surv_pub_os", "surv_pub_os_mean", "surv_pub_pfs", "surv_pub_pfs_mean"):
        assert "published\xa0✓" in _glued(nb, f"{name}.provenance"), name


def test_the_prose_says_why_an_interval_differs_and_the_table_note_gives_the_numbers_once():
    """Review item 5: §6.3.2 and §6.3.3 pasted the machine reasons into the prose ("the paper's
    interval is infeasible (no cohort prints it): not symmetric about the median 3.4: midpoint
    7.05, 3.55 months beyond rounding; …"), Table 6.3 said the same again in note ¹ and in a
    paragraph under it, the median read 3.39 there and 3.4 elsewhere, and the interval
    "(−0.6–7.4)". One plain sentence in the prose; the numbers once, in the row's note."""
    nb = _golden()
    notes = _glued(nb, "tbl-surv-comparisons-notes")
    for key in ("prior_tace", "additional_tace"):
        sentence = _glued(nb, f"surv_{key}_verdict")
        assert "intervals differ:" in sentence and "infeasible" in sentence
        for detail in ("midpoint", "beyond rounding", "±", "SPSS's algorithms", "95% CI (SPSS)"):
            assert detail not in sentence, (key, detail)
        assert sentence.count(". ") <= 2, sentence
    assert "runs below 0" in _glued(nb, "surv_prior_tace_verdict")
    # the numbers once: note ¹ holds the paper's reason and this cohort's bound below 0
    lines = [line for line in notes.split("<p")[0].splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("¹") and lines[1].startswith("²"), lines
    assert "midpoint 7.05" in lines[0] and "3.4 ± 1.96 × 2.05 = −0.6 to 7.4" in lines[0]
    assert notes.count("runs below 0") == 1
    page = "\n".join(
        _glued(nb, n)
        for n in ("tbl-surv-comparisons-notes", "surv_prior_tace_verdict", "surv_tacegt4_ci")
    )
    assert "3.39" not in page and "−0.6–7.4" not in page
    assert _glued(nb, "surv_tacegt4_ci").strip("'") == "−0.6 to 7.4"


def _section(source: str, heading: str) -> str:
    return source.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]


def test_6_1_says_how_it_reads_the_papers_definition_of_overall_survival():
    """Review item 12: the paper ends OS at death or loss to follow-up; the book censored a
    patient alive at the last visit without saying that this is its reading."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    opening = " ".join(_section(source, "## Overall survival").split("```", 1)[0].split())
    assert "death or loss to follow-up" in opening
    assert "death as the only event" in opening
    assert (
        "lost to follow-up or still alive {term}`censored <censoring>` at the last visit" in opening
    )


def test_minor_wording_of_6_1_2_exercise_6_1_and_figure_6_5():
    """Review item 15: §6.1.2 said "the estimate is limited to the largest time" twice in a row;
    Exercise 6.1 read "0.59 month"; Figure 6.5's legend and number-at-risk rows named the group
    without additional TACE just "none"."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    mean_section = _section(source, '### SPSS\'s "mean" survival')
    assert mean_section.count("*limited*") == 1
    nb = _golden()
    assert _glued(nb, "surv_pub_os_se").strip("'") == "0.59 months"
    assert "{glue:text}`surv_pub_os_se` month" not in source
    shown = SHORT_LABELS  # the figures' labels (plots.survival_comparison_figures)
    assert "none" not in shown.values()
    assert shown["no additional TACE"] == "no added TACE"
    figures = (ROOT / "tests" / "test_figures_phone.py").read_text(encoding="utf-8")
    # the phone test draws Figure 6.5 with the labels the chapter gives it
    assert '"additional_tace": {1: "added TACE", 0: "no added TACE"}' in figures


def _records(nb) -> dict[str, str]:
    """Every glued record of the golden notebook, name -> its text (plain or Markdown)."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            data = o.get("data", {})
            for mime in ("text/markdown", "text/plain"):
                key = f"application/papermill.record/{mime}"
                if name and key in data:
                    out[name] = "".join(data[key])
                    break
    return out


def test_only_the_log_rank_p_is_bold_and_badged_and_its_rounding_remark_follows_in_plain_text():
    """Review h42 item 5: §6.3.2 read "P **= 0.009 (0.01 at the paper's 2 decimals, ...)**
    determined": the whole remark bold, the badge after it. The bold glue holds only the P; the
    remark is glued as prose after the badge."""
    records = _records(_golden())
    for key in ("dc", "prior_tace", "additional_tace"):
        bold = records[f"surv_lr_{key}_p"].strip("'\"")
        assert re.fullmatch(r"[=<] ?\d\.\d+|not estimable", bold), bold
        # the sentence is glued whole (on a cohort with one group it says the test cannot be
        # computed, analysis.book.logrank_sentence): the P, its badge, then the remark
        badge = records[f"surv_lr_{key}.provenance"]
        after = f" P {bold}{badge}{records[f'surv_lr_{key}_p_remark']}, against "
        assert after in records[f"surv_lr_{key}_sentence"], key
    for key in ("prior_tace", "additional_tace"):  # P 0.009 and 0.023, printed 0.01 and 0.02
        remark = records[f"surv_lr_{key}_p_remark"]
        assert remark.startswith(" (0.0") and "at the paper's 2 decimals" in remark, remark


def test_the_interval_notes_say_the_papers_interval_is_symmetric():
    """Review h42 item 6: "...; the paper's is (SPSS)" read as if the paper's interval were not
    symmetric either."""
    notes = "\n".join(
        _records(_golden()).get(n, "") for n in ("tbl-surv-os-notes", "tbl-surv-pfs-notes")
    )
    assert notes.count("the paper used SPSS: its interval is symmetric about the median") == 4
    assert "the paper's is (SPSS)" not in notes


def test_no_colon_after_the_badge_of_the_os_counts():
    """Review h42, minor: "(14 censored) assumed: varies across calibrated cohorts:"."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    assert "`surv_prov_deaths:commonmark`:" not in source


def test_r_and_lifelines_rows_compare_with_nothing_the_paper_printed():
    """Review (session 23, item 2): Tables 6.1 and 6.2 put the paper's SPSS interval in the
    Published column of the R and lifelines rows and scored them ✗, though the paper printed no
    R or lifelines interval. They show "—" and "not comparable" (a note: the paper used SPSS),
    in the CSV too; the SPSS row keeps its ✓. Table 6.3's two intervals no cohort prints (chapter
    01's infeasible ones) read "✗¹ infeasible", not a bare ✗ beside a "reproduced" value."""
    import base64
    import csv
    import io

    records = _records(_golden())
    for name in ("tbl-surv-os", "tbl-surv-pfs"):
        rows = [r.split(" | ") for r in records[name].splitlines()[2:] if r.startswith("|")]
        by = {r[0].lstrip("| "): r for r in rows}
        for method in ("R survfit default (log)", "lifelines default (log-log)"):
            row = by[f"95% CI of the median, {method}"]
            assert row[1] == "—" and row[3].startswith("not comparable"), row
        assert by["95% CI of the median, SPSS (median ± 1.96·SE)"][3] == "✓"
        payload = re.search(r"base64,([^\"]+)", records[f"{name}-notes"]).group(1)
        table = list(csv.DictReader(io.StringIO(base64.b64decode(payload).decode("utf-8"))))
        assert [r["published"] for r in table][2:4] == ["—", "—"], table
        assert [r["verdict"] for r in table][2:4] == ["not comparable"] * 2, table
        assert all(r["reason"].startswith("the paper used SPSS") for r in table[2:4]), table
    comparisons = records["tbl-surv-comparisons"]
    assert re.findall(r"\| (✗\S* infeasible) \|", comparisons) == ["✗¹ infeasible", "✗² infeasible"]
    assert "−0.6 to 7.4 | ✗¹ infeasible" in comparisons


def test_the_learning_objective_says_what_spss_mean_is_the_mean_of():
    """Review (session 23, item 3): an objective called SPSS's mean "not the mean of anything when
    follow-up is censored"; it is the mean of survival time restricted to the largest observed
    time, as the chapter itself says further down (a restricted mean)."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    objectives = source.split("Learning objectives", 1)[1].split("```", 1)[0]
    assert "not the mean of anything" not in objectives
    assert "restricted to the largest observed\n  time" in objectives, objectives


def test_the_half_width_of_the_papers_bracket_carries_its_unit():
    """Hostile review (chapter 6, both widths): "the word *range* is wrong — a median ± 1.2 is
    SPSS's confidence interval" gave the half-width without its unit, one sentence after the
    months of the bracket. It reads "± 1.2 months" (the printed number, always a number)."""
    source = (ROOT / "chapters" / f"{STEM}.md").read_text(encoding="utf-8")
    assert "± {glue:text}`surv_pub_os_half` months{glue:md}`" in source
    nb = _golden()
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "± {glue:text}`surv_pub_os_half` months" in markdown
    assert _glued(nb, "surv_pub_os_half") == "'1.2'"
