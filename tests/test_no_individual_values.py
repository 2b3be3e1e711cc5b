"""No single patient's value in a user's cohort report (reviewer: chapter 04 printed min–max).

A small user cohort (12 rows of ``data/cohort.csv``) gets planted extremes -- an age of 104 (ages
over 89 are identifiers under HIPAA's Safe Harbor rule) and an AFP of 987654.3 ng/mL -- and a
HAIC course longer than anyone else's. The chapters that summarise or draw the baseline values
(01 data, 03 treatment, 04 baseline) are executed on it with :func:`analysis.runner.run_book`,
and the planted values must appear nowhere: not in any notebook output or glued value (base64
images left out, embedded CSV downloads decoded), nor in any CSV the report writes. The table
and plot functions are checked directly too, and the book's own cohort still prints its range.

Expectations that do not come from the code under test: the 5th percentile by linear
interpolation is ``x[0] + 0.05 (n - 1) (x[1] - x[0])`` for n ≤ 21 sorted values (0-based), so
it draws on the minimum below 21 values; Safe Harbor's top code is "90 or older".
"""

from __future__ import annotations

import base64
import io
import json
import re
import urllib.parse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import COHORT_CSV  # noqa: E402
from analysis.cohort import load_cohort  # noqa: E402
from analysis.plots import histogram_panels, skewed_labs_plot  # noqa: E402
from analysis.privacy import central_range, top_code, user_percentile  # noqa: E402
from analysis.runner import run_book  # noqa: E402
from analysis.tables import table1, table1_skewed, user_target_values  # noqa: E402

AGE = "104"
AFP = "987654.3"
CYCLES = 49  # schema maximum 50; the book's cohort gives nobody near this many
#: The planted values as any chapter could print them (thousands separators, rounding).
PLANTED = [
    re.compile(r"(?<![\d.,])104(?:\.0+)?(?![\d])"),
    re.compile(r"987[,\u202f ]?654"),
]
CHAPTERS = ["01-data", "03-treatment", "04-baseline"]
DATA_URI = re.compile(r"data:([\w/+.-]+)(;base64)?,([^\"'\s)]+)")


def _planted_rows(n: int = 12) -> pd.DataFrame:
    rows = pd.read_csv(COHORT_CSV, dtype=str, keep_default_na=False).head(n).copy()
    rows.loc[0, "age_years"] = AGE
    rows.loc[1, "afp_ng_ml"] = AFP
    rows.loc[2, "haic_cycles"] = str(CYCLES)
    return rows


def _hits(text: str) -> list[str]:
    return [m.group(0) for p in PLANTED for m in p.finditer(text)]


def _outputs_text(nb_path) -> str:
    """Every text output and glued value of a notebook; images out, embedded CSVs decoded."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            for mime, value in out.get("data", {}).items():
                if mime.startswith("image/") or mime.endswith(("/png", "/jpeg", "/svg+xml")):
                    continue
                parts.append(value if isinstance(value, str) else "".join(value))
            if "text" in out:
                parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
    text = "\n".join(parts)
    decoded = []

    def _replace(m):
        kind, b64, payload = m.groups()
        if kind.startswith("image/"):
            return ""  # pictures are checked through the plot functions below
        data = base64.b64decode(payload) if b64 else urllib.parse.unquote(payload).encode()
        decoded.append(data.decode("utf-8", errors="replace"))
        return ""

    return DATA_URI.sub(_replace, text) + "\n" + "\n".join(decoded)


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    path = root / "planted.csv"
    _planted_rows().to_csv(path, index=False)
    run_book(path, root / "report", chapters=CHAPTERS, progress=False, log=io.StringIO())
    return root / "report"


@pytest.mark.slow(seconds=15)
@pytest.mark.xdist_group("planted-run")  # one worker runs the chapters once (the fixture)
def test_planted_extremes_appear_in_no_chapter_output(planted_run):
    for chapter in CHAPTERS:
        text = _outputs_text(planted_run / f"{chapter}.ipynb")
        assert "Traceback" not in text, f"{chapter}: a cell raised"
        assert not _hits(text), f"{chapter}: planted value shown: {_hits(text)[:3]}"


@pytest.mark.slow(seconds=15)
@pytest.mark.xdist_group("planted-run")  # one worker runs the chapters once (the fixture)
def test_planted_extremes_appear_in_no_csv_download(planted_run):
    csvs = sorted(planted_run.rglob("*.csv"))
    assert any(p.name == "base-skewed.csv" for p in csvs)  # the reviewer's file is among them
    for p in csvs:
        hits = _hits(p.read_text(encoding="utf-8"))
        assert not hits, f"{p.relative_to(planted_run)}: planted value shown: {hits[:3]}"
    skewed = pd.read_csv(next(p for p in csvs if p.name == "base-skewed.csv"))
    assert "min–max" not in skewed.columns
    assert (skewed["5th–95th percentile"] == "hidden").all()  # 12 patients: fewer than 21


@pytest.mark.slow(seconds=15)
@pytest.mark.xdist_group("planted-run")  # one worker runs the chapters once (the fixture)
def test_longest_haic_course_is_not_glued_on_a_user_cohort(planted_run):
    nb = json.loads((planted_run / "03-treatment.ipynb").read_text(encoding="utf-8"))
    glued = [
        "".join(v) if not isinstance(v, str) else v
        for c in nb["cells"] for o in c.get("outputs", [])
        for k, v in o.get("data", {}).items()
        if k.startswith("application/papermill.record/text/plain")
    ]  # fmt: skip
    assert any("not shown for your cohort" in g for g in glued)
    assert not any(re.search(rf"\b{CYCLES} cycles", g) for g in glued)


# ------------------------------------------------------------------ the functions themselves
def _user_cohort(rows: pd.DataFrame) -> pd.DataFrame:
    cohort = load_cohort(COHORT_CSV).iloc[: len(rows)].copy()
    for col in ("age_years", "afp_ng_ml"):
        cohort[col] = pd.to_numeric(rows[col]).to_numpy()
    cohort.attrs["user_cohort"] = True
    return cohort


@pytest.mark.parametrize("n", [12, 30])
def test_table1_and_skewed_table_hide_extremes(n):
    cohort = _user_cohort(_planted_rows(n))
    for frame in (table1_skewed(cohort), table1(cohort)):
        text = frame.to_csv(index=False)
        assert not _hits(text), _hits(text)
    skewed = table1_skewed(cohort).set_index("characteristic")
    spread = skewed.loc["AFP (ng/mL)", "5th–95th percentile"]
    if n < 21:
        assert spread == "hidden"
    else:  # linear 5th-95th percentile of the 30 values, recomputed here
        x = np.sort(cohort["afp_ng_ml"].to_numpy(float))
        h = 0.95 * (n - 1)
        hi = x[int(h)] + (h - int(h)) * (x[int(h) + 1] - x[int(h)])
        assert spread.endswith(f"–{hi:,.1f}") and hi < float(AFP)  # thousands separated
    afp = table1(cohort).set_index("characteristic").loc["AFP (ng/mL)", "your cohort"]
    assert "5th–95th percentile" in afp


def test_book_cohort_keeps_its_min_max():
    cohort = load_cohort(COHORT_CSV)
    skewed = table1_skewed(cohort).set_index("characteristic")
    assert (
        skewed.loc["AFP (ng/mL)", "min–max"]
        == f"{cohort['afp_ng_ml'].min():,.1f}–{cohort['afp_ng_ml'].max():,.1f}"
    )
    assert "5th–95th percentile" not in table1(cohort).to_csv()


def test_ages_of_90_or_more_are_top_coded():
    rows = _planted_rows(40)
    rows["age_years"] = [str(a) for a in np.linspace(86, 99, 40).round(0).astype(int)]
    cohort = _user_cohort(rows)
    age = table1_skewed(cohort).set_index("characteristic").loc["Age (years)"]
    assert age["mean ± SD"].startswith("≥ 90 ±")  # mean 92.5
    assert age["5th–95th percentile"].endswith("–≥ 90")
    assert table1(cohort).loc[0, "your cohort"].startswith("≥ 90±")
    assert not re.search(r"\b(9\d|1\d\d)(\.\d)?\b", age["median (IQR)"].replace("≥ 90", ""))
    t = pd.DataFrame({"id": ["table1.age_years.mean"], "yours": ["92.5"]})
    assert user_target_values(t, cohort, "yours")["yours"].tolist() == ["≥ 90"]


def test_percentiles_never_draw_on_the_smallest_or_largest_value():
    for n in range(3, 45):
        x = np.arange(1.0, n + 1)
        x[0], x[-1] = -1e6, 1e6  # extremes far out: any weight on them moves the percentile
        for q, method in (
            (5, "linear"),
            (95, "linear"),
            (25, "weibull"),
            (50, "weibull"),
            (75, "weibull"),
        ):
            v = user_percentile(x, q, method=method)
            assert v is None or 2 <= v <= n - 1, (n, q, v)
    assert central_range(np.arange(20.0)) is None and central_range(np.arange(21.0)) == (1.0, 19.0)
    assert top_code(89.4, "89.4") == "89.4" and top_code(89.96, "90.0") == "≥ 90"


def test_user_histogram_shows_no_outlier_and_no_small_bar():
    values = np.r_[np.linspace(10, 60, 59), 987654.3]
    fig = histogram_panels({"AFP (ng/mL)": (values, None)}, bins=6, user=True)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] < 100
    assert all(p.get_height() >= 5 for p in ax.patches)
    plt.close(fig)
    fig = histogram_panels({"AFP (ng/mL)": (values[:12], None)}, user=True)  # too few: not drawn
    assert not fig.axes[0].patches
    plt.close(fig)


@pytest.mark.parametrize("n", [12, 30])
def test_user_lab_plot_draws_no_extreme(n):
    cohort = _user_cohort(_planted_rows(n))
    x = np.sort(cohort["afp_ng_ml"].to_numpy(float))
    fig = skewed_labs_plot(cohort, {"afp_ng_ml": "AFP (ng/mL)"}, show_points=False)
    ax = fig.axes[0]
    drawn = np.concatenate([np.asarray(line.get_xdata(), float) for line in ax.lines])
    assert float(AFP) not in drawn and x[0] not in drawn  # no whisker, cap or point at an extreme
    assert not ax.collections  # no patients' points
    if n >= 21:  # whiskers at the 5th and 95th percentiles, recomputed here
        assert np.isclose(drawn.max(), max(np.percentile(x, 95), x.mean() + x.std(ddof=1)))
    plt.close(fig)
    fig = skewed_labs_plot(cohort, {"afp_ng_ml": "AFP (ng/mL)"}, show_points=True)  # the book's
    assert float(AFP) in np.concatenate(
        [np.asarray(ln.get_xdata(), float) for ln in fig.axes[0].lines]
    )
    plt.close(fig)
