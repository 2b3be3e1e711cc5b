"""Counts of 1,000 or more print with thousands separators, on a user's large cohort.

A researcher's cohort of 2,000 patients read "the recorded criteria add up to 4417 for 2000
patients" (chapter 2), "1832 (91.6)" in Table 1 and "2000 patients, 1659 deaths" in chapter 6:
every count went through ``str(n)`` or an f-string, and :func:`analysis.formatting.number_word`
returned ``str(n)`` from ten. Every count the book prints now goes through
:func:`analysis.formatting.count` ("4,417"). The book's own cohort (82 patients) has no count of
1,000, so its pages do not change; a cohort of :data:`BIG_N` patients (the book's rows repeated,
with new identifiers) has many.

Each test reads text as a reader sees it and looks for a bare run of four or more digits that
is not part of a decimal, a year (1950-2030: "MHRA (2011)", "BCLC 2022"), a seed or an
identifier. The package's functions are checked directly (fast); one chapter, 02 (where the
defect was reported), runs whole on the cohort the way ``python -m analysis run`` runs it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import COHORT_CSV, book, formatting, privacy, tables  # noqa: E402
from analysis.cli.validate import summary  # noqa: E402
from analysis.clinical import rate_intervals  # noqa: E402
from analysis.cohort import derive, load_cohort  # noqa: E402
from analysis.plots import km_plot  # noqa: E402
from analysis.problems import MAX_ROWS_SHOWN, CohortError, Problem, RowRef  # noqa: E402

#: Patients of the large cohort: not a year, so that its bare form "2345" is caught anywhere.
BIG_N = 2345

#: A run of four or more digits that is not part of a number with separators or decimals (nor
#: of a word or a code such as "SYN0012"); after a slash it is one ("588/2345").
BARE = re.compile(r"(?<![\d.,\w:#-])\d{4,}(?![\d,]|\.\d)")


def bare_counts(text: str) -> list[tuple[str, str]]:
    """The bare runs of four or more digits in ``text``, years (1950-2030) and seeds (eight
    digits, "20240426") left out: each run and its context."""
    found = []
    for m in BARE.finditer(text):
        digits = m.group()
        if (len(digits) == 4 and 1950 <= int(digits) <= 2030) or len(digits) == 8:
            continue
        found.append((digits, text[max(0, m.start() - 60) : m.end() + 30]))
    return found


def test_bare_counts_finds_counts_and_leaves_years_decimals_and_separated_numbers():
    """The check itself: it flags "4417" and nothing else here."""
    text = "add up to 4417 for 2,345 patients; MHRA (2011), BCLC 2022; 1061.5 ng/mL; SYN1234"
    assert [digits for digits, _ in bare_counts(text + "; DCR 1122/2345")] == [
        "4417",
        "1122",
        "2345",
    ]
    assert not bare_counts("seed 20240426, 1,832 (91.6), 0.0012, 12.3456")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """The book's 82 rows repeated to :data:`BIG_N` patients, with new identifiers: a valid
    user's cohort (the counts are the book's proportions of a larger N)."""
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False)
    big = rows.iloc[[i % len(rows) for i in range(BIG_N)]].reset_index(drop=True)
    big["patient_id"] = [f"L{i:05d}" for i in range(BIG_N)]
    path = tmp_path_factory.mktemp("large") / "large_cohort.csv"
    big.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def big(big_csv) -> pd.DataFrame:
    return load_cohort(big_csv)


def _cells(df: pd.DataFrame) -> str:
    return "\n".join(" | ".join(str(v) for v in row) for row in df.astype(str).to_numpy())


def test_tables_of_a_large_cohort_print_counts_with_separators(big):
    """Table 1's "n (%)" cells, Table 2's group sizes, the JSH criteria, Child-Pugh and BCLC
    counts, the rate table of chapter 5 and the survival counts of chapter 6."""
    assert big.attrs["user_cohort"] and len(big) == BIG_N
    t1 = tables.table1(big)
    male = t1.set_index("characteristic").loc["Sex: male"].iloc[1]
    assert re.fullmatch(r"\d,\d{3} \(\d+\.\d\)", male), male
    texts = [_cells(t1)]
    groups = tables.table2_group_counts(big, "stated")
    texts += list(groups.values())
    assert any(re.search(r"\d,\d{3} \(\d", t) for t in groups.values()), groups
    jsh = tables.jsh_criteria_table(big)
    assert jsh.attrs["prose"]["sum"] == formatting.count(
        int(big[[c for _, c, _ in tables.JSH_CRITERIA_ROWS]].to_numpy().sum())
    )
    texts += [book.table_markdown(jsh)[0], *jsh.attrs["prose"].values()]
    crosstab = tables.bclc_crosstab(big)
    texts += [book.table_markdown(crosstab)[0], *crosstab.attrs["2022"].values()]
    texts += [*crosstab.attrs["recorded"].values()]
    texts += [book.table_markdown(tables.albi_grade_table(big))[0]]
    texts += [book.table_markdown(tables.child_pugh_check(big))[0]]
    reasons = tables.eligibility_reasons(big)
    texts += [book.table_markdown(reasons)[0], reasons.attrs["eligible"]]
    rates = rate_intervals(big["best_response"])
    rate_table = tables.rate_intervals_table(rates)
    assert rate_table.iloc[0, 1].split(" ")[0].endswith(f"/{formatting.count(BIG_N)}")
    texts += [_cells(rate_table)]
    counts = tables.survival_counts(big["os_event"], event="deaths", user=True)
    assert counts["patients"] == "2,345", counts
    texts += list(counts.values())
    bad = [hit for text in texts for hit in bare_counts(text)]
    assert not bad, bad


def test_the_number_at_risk_and_the_command_line_print_separators(big):
    """The number-at-risk table under a Kaplan-Meier curve, ``python -m analysis validate``'s
    summary and a problem's row count."""
    d = derive(big)
    fig = km_plot(None, d["os_months"], d["os_event"], at_risk_times=[0, 12, 24], min_count=5)
    try:
        shown = [t.get_text() for a in fig.axes for t in a.texts]
    finally:
        plt.close(fig)
    assert formatting.count(BIG_N) in shown, shown
    assert not [hit for text in shown for hit in bare_counts(text)], shown
    assert "big.csv: 2,345 patients; 38 columns" in summary(list(big.columns), BIG_N, "big.csv")
    rows = [RowRef(i + 2, "x") for i in range(3)]
    problem = Problem("sex", "must be one of M, F", "category", rows=rows, count=1500)
    more = formatting.count(1500 - MAX_ROWS_SHOWN)  # "1,495"
    assert " — 1,500 rows: " in str(problem) and f"and {more} more" in str(problem)
    assert "1,200 problems" in str(CohortError([problem] * 1200, "big.csv")).split("\n")[0]


def test_counts_glued_on_a_user_cohort_read_back_through_count_value():
    """Prose that says something only of a shown count asks ``count_value``, which reads
    "1,659" (``str.isdigit`` did not: chapter 9 said the deaths of a 2,000-patient cohort were
    "not shown", and chapter 2 that the criteria's sum "is not shown")."""
    texts = privacy.glued_counts({"deaths": 1659, "few": 3}, user=True, out_of=BIG_N)
    assert texts == {"deaths": "1,659", "few": "<5"}
    assert formatting.count_value(texts["deaths"]) == 1659
    assert formatting.count_value(texts["few"]) is None
    # a suppressed table of "n (%)" cells with separators is still read as counts
    table = pd.DataFrame({"n (%)": ["1,832 (91.6)", "3 (0.1)"]})
    assert privacy.suppress_small_counts(table)["n (%)"].tolist() == ["1,832 (91.6)", "<5"]


def _shown_texts(notebook: Path) -> list[str]:
    """Everything a reader of the executed notebook sees as text: printed lines, glued text and
    Markdown, displayed outputs (HTML tags and the tables' CSV downloads, data URIs, dropped)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append("".join(o["text"]))
                continue
            for mime, value in o.get("data", {}).items():
                if "image/" in mime or mime.endswith("json"):  # pictures, widget state
                    continue
                text = value if isinstance(value, str) else "".join(value)
                text = re.sub(r"data:[\w/+.-]+;base64,[\w+/=]*", " ", text)  # a table's CSV
                out.append(re.sub(r"<[^>]*>", " ", text) if "html" in mime else text)
    return out


@pytest.mark.slow(seconds=5)
@pytest.mark.usefixtures("forked_kernels")
def test_chapter_02_on_a_large_cohort_prints_every_count_with_separators(big_csv, tmp_path):
    """The defect as reported: chapter 2 run on a large cohort the way ``python -m analysis
    run`` runs it said "add up to 4417 for 2000 patients"."""
    from cohort_runs import execute_chapter

    out = execute_chapter("02-eligibility", big_csv, tmp_path / "02-eligibility.ipynb")
    texts = _shown_texts(out)
    joined = "\n".join(texts)
    assert re.search(r"add up to \d,\d{3} for 2,345 patients", joined), joined[:2000]
    bad = [hit for text in texts for hit in bare_counts(text)]
    assert not bad, bad


@pytest.mark.slow(seconds=5)
@pytest.mark.usefixtures("forked_kernels")
def test_chapter_05_on_a_large_cohort_prints_the_response_counts_with_separators(big_csv, tmp_path):
    """Hostile pass (session 118): on a cohort of 10,000 patients chapter 5's summary and §5.1
    read "CR 511 (5.1%), PR 2467 (24.7%), SD 2649 (26.5%), PD 4373 (43.7%)" beside "ORR
    2,978/10,000" (the four counts were glued with an f-string, not ``formatting.count``)."""
    from cohort_runs import execute_chapter

    out = execute_chapter("05-response", big_csv, tmp_path / "05-response.ipynb")
    texts = _shown_texts(out)
    joined = "\n".join(texts)
    # PD: 36 of every 82 patients, over 1,000 of 2,345
    assert re.search(r"^'1,\d{3} \(4\d\.\d%\)'$", joined, re.M), joined[:2000]
    bad = [hit for text in texts for hit in bare_counts(text)]
    assert not bad, bad
