"""Which Table 2 cells the calibrated cohorts of the ensemble print: the tally on hand-made members,
the files the ensemble command writes beside its summary, and the committed files against the run
record and against the book's cohort scored independently (statsmodels, no cache needed)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from cli_output import unwrapped

from analysis import REPO_ROOT, ensemble, synthesis

#: the fingerprint of the code (the cache folder's name) parses each source once (conftest.py)
pytestmark = pytest.mark.usefixtures("fingerprint_parsed_once")

AGE_HR, AGE_CI, AGE_P = (f"table2.age_years.uni.{k}" for k in ("hr", "interval", "p"))
SEX_P = "table2.sex_female.uni.p"  # infeasible: no Wald row prints it with its HR and interval
AFP_MULTI_HR = "table2.afp_ng_ml.multi.hr"
ABSTRACT = "abstract.hr_prior_tace_gt4.hr"  # not a cell of Table 2 itself


def _hand_members() -> list[dict]:
    """Two calibrated members (the first the book's own seed) and one passed over."""
    book = {
        "candidate": 0,
        "seed": synthesis.DEFAULT_SEED,
        "table2_verdicts": {
            AGE_HR: "hit", AGE_CI: "missed", AGE_P: "missed", SEX_P: "hit",
            AFP_MULTI_HR: "hit", ABSTRACT: "hit",
        },
    }  # fmt: skip
    other = {
        "candidate": 2,
        "seed": 5,
        "table2_verdicts": {AGE_HR: "hit", AGE_CI: "missed", AGE_P: "hit", AFP_MULTI_HR: "missed"},
    }
    passed_over = {  # misses a Table 1 target: not a member, whatever it prints
        "candidate": 1,
        "seed": 9,
        "target_verdicts": {"table1.age_years.mean": "missed"},
        "table2_verdicts": {AGE_HR: "hit", AGE_CI: "hit", AGE_P: "hit", AFP_MULTI_HR: "hit"},
    }
    return [book, passed_over, other]


def test_tally_by_hand():
    tally = ensemble.table2_cell_tally(_hand_members())
    assert tally.columns.tolist() == ensemble.TABLE2_CELL_COLUMNS
    # every printed Table 2 cell but the 9 reference rows (printed "1"), in the file's order
    assert len(tally) == 99 - 9
    assert tally["id"].tolist()[:3] == [AGE_HR, AGE_CI, AGE_P]
    assert set(tally["model"]) == {"uni", "multi"} and set(tally["kind"]) == {"hr", "interval", "p"}
    got = tally.set_index("id")
    # counted by hand over the two calibrated members (the passed-over one ignored)
    expected = {
        AGE_HR: (2, 2, "hit"),
        AGE_CI: (0, 2, "missed"),
        AGE_P: (1, 2, "missed"),
        SEX_P: (1, 1, "hit"),  # only the book's cohort has a verdict for it
        AFP_MULTI_HR: (1, 2, "hit"),
        "table2.pivka2.uni.hr": (0, 0, ""),
    }
    for cell, (printed, members, book) in expected.items():
        row = got.loc[cell]
        assert (row["printed_by"], row["members"], row["book_cohort"]) == (printed, members, book)
    assert got.loc[AFP_MULTI_HR, ["term", "model", "kind"]].tolist() == ["afp_ng_ml", "multi", "hr"]
    assert ABSTRACT not in got.index
    # the 3 cells other than a P that chapter 7's feasibility test finds no cohort can print
    bad = got[got["infeasible"] & (got["kind"] != "p")].index.tolist()
    assert bad == [
        "table2.albumin_le3.uni.interval",
        "table2.albumin_le3.multi.interval",
        "table2.additional_tace.uni.interval",
    ]
    assert bool(got.loc[SEX_P, "infeasible"]) and not bool(got.loc[AGE_P, "infeasible"])


def test_member_hits_by_hand():
    hits = ensemble.table2_member_hits(_hand_members())
    assert hits.columns.tolist() == ensemble.TABLE2_MEMBER_COLUMNS
    # book: age HR and sex P (univariate), AFP HR (multivariable); the abstract's cell not counted
    assert hits.to_numpy().tolist() == [
        [0, synthesis.DEFAULT_SEED, True, 2, 1],
        [2, 5, False, 2, 0],
    ]


def _write_cache(folder, members: list[dict]) -> None:
    folder.mkdir(parents=True)
    seeds = ensemble.member_seeds(11, 8)
    for i, m in enumerate(members):
        payload = {**{k: v for k, v in m.items() if k != "candidate"}, "seed": seeds[i]}
        payload.setdefault("results", {})
        (folder / f"member-{i:05d}-seed-{seeds[i]}.json").write_text(json.dumps(payload))


def test_cli_writes_the_table2_files_beside_the_summary(tmp_path, capsys):
    """From a cache that holds every member (nothing to compute): the two Table 2 files beside
    the summary, with the counts of the hand-made members; a second run refuses to replace them
    without --force (one line, exit 2, nothing written), and writes the same bytes with it. The
    command runs in this process (:func:`analysis.__main__.main`, the code path of
    ``python -m analysis``), which saves three interpreter start-ups."""
    from analysis.__main__ import main

    _write_cache(tmp_path / "cache" / ensemble.fingerprint(None), _hand_members())
    out = tmp_path / "s.csv"
    argv = ["ensemble", "--n", "2", "--seed", "11", "--cache", str(tmp_path / "cache")]
    argv += ["--out", str(out)]
    assert main(argv) == 0
    assert "2 calibrated members from 3 candidates" in capsys.readouterr().out
    cells_csv, members_csv = tmp_path / "s-table2-cells.csv", tmp_path / "s-table2-members.csv"
    cells = pd.read_csv(cells_csv, keep_default_na=False).set_index("id")
    assert cells.loc[AGE_P, ["printed_by", "members"]].tolist() == [1, 2]
    members = pd.read_csv(members_csv)
    assert members[["candidate", "uni_hits", "multi_hits"]].to_numpy().tolist() == [
        [0, 2, 1],
        [2, 2, 0],
    ]
    before = {p: p.read_bytes() for p in (cells_csv, members_csv)}
    out.unlink()  # the summary alone is gone: its Table 2 files are still not replaced
    assert main(argv) == 2
    err = unwrapped(capsys.readouterr().err)  # one message, wrapped at 80 columns
    assert "s-table2-cells.csv beside it exists" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
    assert main([*argv, "--force"]) == 0
    assert {p: p.read_bytes() for p in before} == before


def test_committed_files_agree_with_the_run_record():
    record = ensemble.run_record()
    cells_text = ensemble.TABLE2_CELLS_CSV.read_bytes()
    members_text = ensemble.TABLE2_MEMBERS_CSV.read_bytes()
    assert hashlib.sha256(cells_text).hexdigest() == record["table2_cells_sha256"]
    assert hashlib.sha256(members_text).hexdigest() == record["table2_members_sha256"]
    cells = pd.read_csv(ensemble.TABLE2_CELLS_CSV, keep_default_na=False)
    members = pd.read_csv(ensemble.TABLE2_MEMBERS_CSV)
    n = record["members"]
    assert len(members) == n and (cells["members"] == n).all()
    assert members["candidate"].is_monotonic_increasing and members["seed"].is_unique
    assert int(members["book_cohort"].sum()) == 1
    assert members.loc[members["book_cohort"], "seed"].tolist() == [synthesis.DEFAULT_SEED]
    assert ((cells["printed_by"] >= 0) & (cells["printed_by"] <= cells["members"])).all()
    # the two files count the same hits: by cell, and by member
    for model, col in (("uni", "uni_hits"), ("multi", "multi_hits")):
        assert int(cells.loc[cells["model"] == model, "printed_by"].sum()) == int(
            members[col].sum()
        )
    # the summary's members are the same cohorts
    summary = pd.read_csv(ensemble.SUMMARY_CSV)
    assert summary["members"].max() == n


def test_book_cohort_row_agrees_with_the_independent_scoring():
    """The book's own column and row (member of seed DEFAULT_SEED) against data/cohort.csv
    scored by tests/test_targets_independent.py (statsmodels, half-up rounding): a cell is
    ``hit`` in one exactly when it is in the other, and the univariate and multivariable hit
    counts are the independent ones. Fails when the cohort changes and the ensemble is not
    re-run (``python -m analysis ensemble --n 50``)."""
    independent = pytest.importorskip("test_targets_independent")
    score = independent.score()
    scored = score.set_index("id")["verdict"]
    cells = pd.read_csv(ensemble.TABLE2_CELLS_CSV, keep_default_na=False).set_index("id")
    theirs = {i for i in cells.index if scored.get(i) == "hit"}
    ours = set(cells.index[cells["book_cohort"] == "hit"])
    assert ours == theirs
    members = pd.read_csv(ensemble.TABLE2_MEMBERS_CSV)
    book = members[members["book_cohort"]].iloc[0]
    uni = sum(scored.get(i) == "hit" for i in cells.index[cells["model"] == "uni"])
    multi = sum(scored.get(i) == "hit" for i in cells.index[cells["model"] == "multi"])
    assert (int(book["uni_hits"]), int(book["multi_hits"])) == (uni, multi)
    # the univariate hits of independent.counts(), from this scoring (counts() scored it again)
    block = score.loc[score["block"] == "table2_univariate", "verdict"]
    assert uni == int((block == "hit").sum())


def test_readme_states_the_ensemble_table2_figures():
    """README's sentence on how typical the committed cohort is, from the committed files (and the
    book's cohort's count, which the test above checks against the independent scoring)."""
    cells = pd.read_csv(ensemble.TABLE2_CELLS_CSV, keep_default_na=False)
    members = pd.read_csv(ensemble.TABLE2_MEMBERS_CSV)
    uni = members["uni_hits"]
    book = int(members.loc[members["book_cohort"], "uni_hits"].iloc[0])
    never = int(
        ((cells["model"] == "uni") & ~cells["infeasible"] & (cells["printed_by"] == 0)).sum()
    )
    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (
        f"Of the {len(members)} calibrated cohorts of the ensemble (below; the committed one among "
        f"them), each prints {uni.min()}–{uni.max()} univariate Table 2 cells (median "
        f"{uni.median():g}); {book} or more, as many as the committed one prints, are printed by "
        f"{int((uni >= book).sum())} of them (it included); {never} feasible univariate cells are "
        "printed by none of them"
    ) in readme
