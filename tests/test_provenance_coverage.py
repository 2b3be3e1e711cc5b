"""Every result glued in chapters 4–9 carries a provenance class the reader can see.

Issue 16: a number in the prose is *published* (a calibration target, with its verdict),
*determined* or *assumed* (:mod:`analysis.provenance`), and the reader takes that in at a glance
from a badge beside it. This test reads the chapters' MyST source (no execution) and checks:

* every ``{glue:text}`` (or other inline glue) in the prose is followed, within the same clause, by a
  provenance badge (``{glue:md}`….provenance:commonmark``` or ``{glue:md}`…_prov_…:commonmark```) —
  so one badge after "13.2 months (10.1–16.0)" covers the median and its interval, but never
  reaches across a ``;``, a dash, a sentence end or a paragraph — unless the glued name is in
  :data:`EXEMPT`, the explicit list of glued values that are not results;
* every badge the prose uses is glued by the chapter's code (``glue_provenance`` or
  ``glue_result``), so it cannot silently render as nothing;
* every glued table (``{glue:md} tbl-…``) is glued with ``provenance=`` (a badge above its notes,
  in its column headers, or a "Class" column);
* every glued figure (``{glue:figure} fig-…``) is glued by ``glue_figure(…, provenance=…)`` (a line
  of badges above its download links, :func:`analysis.book.figure_provenance`).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("0[4-9]-*.md"))

#: Glued values in the prose that are not results, each with the reason. Names, not patterns.
EXEMPT: dict[str, str] = {
    # the number of patients: the paper's N, which every cohort has by construction
    "base_n": "the paper's N",
    "resp_n": "the cohort's N",
    "surv_n": "the cohort's N",
    "bias_n": "the cohort's N",
    "audit_n": "the paper's N",
    "audit_noadd_upper": "a printed bound (11) as the book reads it (11.0), not a result",
    "cox_feas_n": "the paper's N",
    # parameters of the chapter (the reader sets them), not results
    "resp_level": "the confidence level, a parameter",
    "resp_ex_tail": "each tail of the confidence level, a parameter",
    "resp_ex_cp_code": "code a reader types, its quantiles from the confidence level",
    "surv_at_risk_step": "spacing of the number-at-risk columns, a parameter",
    "bias_cut_list": "the cut-offs compared, a parameter",
    "bias_sim_n": "the number of simulated studies, a parameter",
    "bias_sim_mc_pp": "the Monte Carlo margin of a 5% share, from the number of simulated studies (a parameter)",
    "bias_sim_tv_level": "whether the simulated share before it lies within that margin, words",
    "bias_sim_lm_sentence": "a sentence glued whole, its numbers badged inside it",
    "bias_ex_seed": "a seed, a parameter",
    "bias_ex_command": "a command line, not a number",
    "audit_deaths_factor": "the name of a Table 2 row (which row needs the most deaths), a label",
    "cox_epv_floor_factor": "the name of a Table 2 row (which row needs the most deaths), a label",
    "cox_feas_per_unit_overlap": "a sentence glued whole, its count badged inside it",
    "cox_cp_split": "a sentence glued whole (the book's cohort only), its assumption badged inside it",
    "bias_brief_dc": "a clause glued whole (two hazard ratios, or why neither can be estimated), its numbers badged inside it",
    "cox_brief_epv": "a clause glued whole (events per parameter, or that nobody died), its count badged inside it",
    # the size of a model or of the audit: a count of terms or checks, not an estimate
    "cox_n_parameters": "the number of terms in the paper's model",
    "cox_forest_step": "the step (U/L) Fig. 7.1 draws AST at, a parameter",
    "cox_forest_step_th": "the step (U/L) Fig. 7.1 draws AST at, a parameter",
    "bias_opt_params": "the number of terms in the paper's model",
    "audit_n_checks": "the number of checks the audit runs",
    "audit_n_not_consistent": "a count in a dropdown heading; the table inside carries the class",
    "bias_opt_failed_sentence": "how many bootstrap resamples could not be fitted and which way leaving them out moves the optimism: a diagnostic of the computation",
    # sentences that report the verdicts themselves (the tables beside them carry the classes)
    "base_agree_sentence": "the tally of the calibration's verdicts",
    "base_skewed_unprinted": "a clause naming the variables whose mean ± SD the paper does not print; its badge (assumed) is inside it",
    "cox_brief_agree": "tallies: Table 2's numbers as the calibration counts them and the verdicts of Table 7.4 (the tables carry the classes)",
    "cox_agree_sentence": "the tally of the calibration's verdicts",
    "cox_ties_sentence": "the tallies of rows and cells agreeing under the two tie rules",
    "cox_missed_sentence": "the tally of the reasons chapter 1 gives for the calibration's missed cells",
    "cox_feas_reconcile": "the tally of the calibration's verdicts: infeasible cells the cohort prints, counted as hits",
    "bias_opt_reading": "a sentence stating the class of the results before it",
    "cox_ph_reading": "a sentence saying what the test before it cannot show on a synthetic cohort",
    "resp_brief_counts_verdict": "the verdict on the paper's numbers before it, in words (they carry their own badges)",
    "resp_brief_rates_verdict": "the verdict on the paper's numbers before it, in words (they carry their own badges)",
    "bias_dc_lm_mid_t": "the month of a landmark, from the landmarks the chapter sets (a parameter)",
    "surv_brief_os_verdict": "the verdict on the paper's numbers before it, in words (they carry their own badges)",
    "surv_brief_pfs_verdict": "the verdict on the paper's numbers before it, in words (they carry their own badges)",
    "surv_brief_os_ci": "a clause glued whole (the SPSS interval of the median, or why there is none), its numbers badged inside it",
    "surv_brief_pfs_ci": "a clause glued whole (the SPSS interval of the median, or why there is none), its numbers badged inside it",
    "surv_brief_dc": "a clause glued whole (medians, log-rank P and the paper's P, or why this cohort has none), its numbers badged inside it",
    "surv_brief_prior_tace": "a clause glued whole (medians, log-rank P and the paper's P, or why this cohort has none), its numbers badged inside it",
    "surv_brief_additional_tace": "a clause glued whole (medians, log-rank P and the paper's P, or why this cohort has none), its numbers badged inside it",
    "surv_dc_verdict": "a sentence giving the reasons for the verdicts on the paper's medians and intervals before it",
    "surv_prior_tace_verdict": "a sentence giving the reasons for the verdicts on the paper's medians and intervals before it",
    "surv_additional_tace_verdict": "a sentence giving the reasons for the verdicts on the paper's medians and intervals before it",
    "bias_dc_naive_spread": "a sentence giving the range across calibrated cohorts of the result before it",
    "bias_dc_lm_reading": "a sentence reading the direction and the intervals of the two estimates before it, the generator's timing rule (badged inside it) and their range across calibrated cohorts",
    "bias_ex_seed_reading": "a sentence reading the numbers before it, words",
    # words that name the cohort, or say where its timing comes from (the book's generator, or a
    # user's records): no number in them
    "surv_bias_cohort": "which cohort chapter 9 illustrates the bias on, words",
    "cox_ties_why": "why the tie rule can change a printed digit, words",
    "cox_ties_built_in": "a sentence on the calibration under Breslow's rule (empty on a user's cohort)",
    "bias_cohort_on": "which cohort, words",
    "bias_on_cohort": "which cohort, words",
    "bias_gap_reading": "what the gap between the estimates can show, words",
    "bias_redraw_keeps": "which columns a re-draw of the timing keeps, words",
    "bias_cut_reading": "how to read the cut-off table on this cohort, words",
    "bias_ex_cut_range": "a sentence glued whole, its numbers badged inside it",
    "bias_ex_cut_table": "a sentence glued whole, its numbers badged inside it",
    "bias_key_timing": "what the time-dependent estimates rest on, words",
    "audit_previous": "what the previous chapters did, on which cohort, words",
    "audit_refit_on": "which cohort, words",
    # paragraphs glued whole (a missing estimate gets a sentence of its own, chapter 9 on a
    # cohort where nobody had additional TACE): each number inside carries its badge, glued in
    # with it (book.glued); test_chapter_outputs checks the badges are there
    "bias_tace_paragraph": "a paragraph glued whole, its numbers badged inside it",
    "bias_sc_reading": "a paragraph glued whole, its numbers badged inside it",
    # chapter 6's comparisons and chapter 9's landmark sentences, glued whole so that a group
    # without patients (or a landmark nobody is treated by) gets a sentence of its own
    "surv_dc_groups": "a sentence glued whole, its numbers badged inside it",
    "surv_prior_tace_groups": "a sentence glued whole, its numbers badged inside it",
    "surv_additional_tace_groups": "a sentence glued whole, its numbers badged inside it",
    "surv_lr_dc_sentence": "a sentence glued whole, its numbers badged inside it",
    # Exercise 6.2's median and log-rank sentences and §7.6's test result, glued whole so that
    # a median never reached or a test that cannot be computed is said in words
    # (tests/test_reader_cohorts.py)
    "surv_ex12_median_sentence": "a sentence glued whole, its numbers badged inside it",
    "surv_ex12_p_sentence": "a sentence glued whole, its numbers badged inside it",
    "cox_ph_result": "a sentence glued whole, its numbers badged inside it",
    "cox_ast_paragraph": "a sentence glued whole, its numbers badged inside it",
    "surv_lr_prior_tace_sentence": "a sentence glued whole, its numbers badged inside it",
    "surv_lr_additional_tace_sentence": "a sentence glued whole, its numbers badged inside it",
    "bias_lm_early": "a sentence glued whole, its landmark month badged inside it",
    "bias_dc_naive_sentence": "a sentence glued whole, its number badged inside it",
    "bias_dc_lm_sentence": "a sentence glued whole, its numbers badged inside it",
    "bias_lm_direction": "a sentence glued whole, its numbers badged inside it",
    "bias_ex_lm_reading": "a sentence glued whole, its numbers badged inside it",
    "bias_opt_epv_sentence": "a sentence glued whole, its count of deaths badged inside it",
    # sentences glued whole so that a cohort without deaths, or with its count hidden, or with one
    # exposure for all, reads in words (tests/test_reader_cohorts.py)
    "surv_os_mean_clause": "a clause glued whole, its numbers badged inside it",
    "surv_pfs_mean_clause": "a clause glued whole, its numbers badged inside it",
    "surv_ex12_mean_sentence": "a sentence glued whole, its numbers badged inside it",
    "surv_os_ci_sentence": "a sentence glued whole (the median and its three intervals, or why there are none), its numbers badged inside it",
    "surv_ex_se_sentence": "a sentence glued whole (the SPSS SE and half-width, or why there are none), its numbers badged inside it",
    "surv_ex_log_clause": "a clause glued whole (R's interval, or nothing where there is none), its number badged inside it",
    "cox_tied_clause": "a clause glued whole, its counts badged inside it",
    "cox_epv_sentence": "a sentence glued whole, its count badged inside it",
    "cox_ex_epv_sentence": "a sentence glued whole, its count badged inside it",
    "cox_brief_ast": "a clause glued whole, its hazard ratios badged inside it",
    "bias_opt_values": "a sentence glued whole, its numbers badged inside it",
    "bias_brief_concordance": "a clause glued whole, its numbers badged inside it",
    "bias_brief_tace": "a clause glued whole, its hazard ratios and the paper's badged inside it",
    "resp_ex3_orr_text": "a paragraph glued whole, its numbers badged inside it",
}

ROLE = re.compile(r"\{glue(?::(\w+))?\}`([^`]+)`")
#: What ends a clause: a semicolon, a dash, a sentence end, a paragraph or a directive.
CLAUSE_END = re.compile(r"[;—]|\.(?:\s|$)|\n\s*\n|```|:::")
TABLE = re.compile(r"^```\{glue:md\}\s+(tbl-[\w-]+)\s*$", re.MULTILINE)
TABLE_CALLS = {"glue_table", "glue_table2", "glue_landmarks"}
FIGURE = re.compile(r"^```\{glue:figure\}\s+(fig-[\w-]+)\s*$", re.MULTILINE)


def _is_badge(kind: str | None, name: str) -> bool:
    return kind == "md" and (name.endswith(".provenance") or "_prov_" in name)


def _name_pattern(node: ast.expr) -> str | None:
    """A glue name as a regex: a string literal, or an f-string with its fields as wildcards."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            re.escape(v.value) if isinstance(v, ast.Constant) else r"[\w.-]+" for v in node.values
        )
    return None


def _call_name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def chapter_facts(md: Path) -> dict:
    """Prose glue references, badges glued by the code, and tables with/without provenance."""
    nb = jupytext.read(md)
    badges_glued: list[str] = []  # regexes of badge names the code glues
    badge_kinds: dict[str, str] = {}  # badge name regex -> class, when a literal in the call
    tables_with_provenance: set[str] = set()
    table_calls: set[str] = set()
    figure_calls: list[tuple[str, bool]] = []  # (name regex, glued with provenance=)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            fn = _call_name(call)
            if fn in ("glue_provenance", "glue_result") and call.args:
                pat = _name_pattern(call.args[0])
                if pat is None:
                    continue
                pat = pat + re.escape(".provenance") if fn == "glue_result" else pat
                badges_glued.append(pat)
                kind_arg = call.args[1 if fn == "glue_provenance" else 2 : None]
                kind = kind_arg[0] if kind_arg else None
                if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                    badge_kinds[pat] = kind.value
                elif isinstance(kind, ast.Call) and _call_name(kind) in ("published", "assumed"):
                    badge_kinds[pat] = _call_name(kind)
                elif isinstance(kind, ast.Call) and _call_name(kind) == "verdict_provenance":
                    badge_kinds[pat] = "published"
            if fn == "glue_figure" and call.args:
                pat = _name_pattern(call.args[0])
                if pat is not None:
                    with_class = any(
                        k.arg == "provenance"
                        and not (isinstance(k.value, ast.Constant) and k.value.value is None)
                        for k in call.keywords
                    )
                    figure_calls.append((pat, with_class))
            if fn in TABLE_CALLS:
                names = [
                    a.value
                    for a in call.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                for name in names:
                    table_calls.add(name)
                    if any(k.arg == "provenance" for k in call.keywords):
                        tables_with_provenance.add(name)
    refs, tables, figures = [], [], []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        src = cell.source
        matches = list(ROLE.finditer(src))
        for i, m in enumerate(matches):
            kind, name = m.group(1), m.group(2).split(":")[0]
            if _is_badge(kind, name):
                refs.append(("badge", name, None))
                continue
            badge = None
            for later in matches[i + 1 :]:
                between = src[m.end() : later.start()]
                if CLAUSE_END.search(between):
                    break
                later_name = later.group(2).split(":")[0]
                if _is_badge(later.group(1), later_name):
                    badge = later_name
                    break
            refs.append(("value", name, badge))
        tables += TABLE.findall(src)
        figures += FIGURE.findall(src)
    tables = [t for t in tables if not t.endswith("-notes")]
    return {
        "refs": refs,
        "badges_glued": badges_glued,
        "badge_kinds": badge_kinds,
        "tables": tables,
        "tables_with_provenance": tables_with_provenance,
        "table_calls": table_calls,
        "figures": figures,
        "figure_calls": figure_calls,
    }


def _kind_of(badge: str, facts: dict) -> str:
    for pat, kind in facts["badge_kinds"].items():
        if re.fullmatch(pat, badge):
            return kind
    return "from the ensemble summary"  # decided at run time (analysis.ensemble)


def coverage(chapters: list[Path] = CHAPTERS) -> dict:
    counts: Counter = Counter()
    by_class: Counter = Counter()
    missing, unglued, bare_tables, bare_figures = [], [], [], []
    figures_by_chapter: Counter = Counter()
    for md in chapters:
        facts = chapter_facts(md)
        for what, name, badge in facts["refs"]:
            if what == "badge":
                if not any(re.fullmatch(p, name) for p in facts["badges_glued"]):
                    unglued.append(f"{md.stem}: {name}")
                continue
            if name in EXEMPT:
                counts["exempt"] += 1
            elif badge is None:
                counts["missing"] += 1
                missing.append(f"{md.stem}: {name}")
            else:
                counts["with class"] += 1
                by_class[_kind_of(badge, facts)] += 1
        for table in facts["tables"]:
            if table in facts["tables_with_provenance"]:
                counts["tables with class"] += 1
            else:
                counts["tables missing"] += 1
                bare_tables.append(f"{md.stem}: {table}")
        for figure in facts["figures"]:
            calls = [c for pat, c in facts["figure_calls"] if re.fullmatch(pat, figure)]
            if calls and all(calls):
                counts["figures with class"] += 1
                figures_by_chapter[md.stem] += 1
            else:
                counts["figures missing"] += 1
                bare_figures.append(f"{md.stem}: {figure}")
    return {
        "counts": counts,
        "by_class": by_class,
        "missing": missing,
        "unglued": unglued,
        "bare_tables": bare_tables,
        "bare_figures": bare_figures,
        "figures_by_chapter": figures_by_chapter,
    }


def test_exemptions_are_explicit_and_used():
    used = {
        name for md in CHAPTERS for what, name, _ in chapter_facts(md)["refs"] if what == "value"
    }
    for name, reason in EXEMPT.items():
        assert re.fullmatch(r"[\w-]+", name), f"exemption {name!r} is not a plain glue name"
        assert reason.strip(), f"exemption {name!r} has no reason"
    stale = sorted(set(EXEMPT) - used)
    assert not stale, f"exempt names no chapter uses any more: {stale}"


def test_every_glued_result_in_chapters_04_to_09_carries_a_class(capsys):
    result = coverage()
    c = result["counts"]
    with capsys.disabled():
        print(
            f"\nprovenance coverage, chapters 4–9: prose values with a class {c['with class']} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(result['by_class'].items()))}), "
            f"exempt {c['exempt']}, missing {c['missing']}; tables with a class "
            f"{c['tables with class']}, missing {c['tables missing']}; figures with a class "
            f"{c['figures with class']} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(result['figures_by_chapter'].items()))}), "
            f"missing {c['figures missing']}"
        )
    assert not result["unglued"], f"badges the prose uses but no code glues: {result['unglued']}"
    assert c["missing"] == 0, "glued results without a provenance badge:\n" + "\n".join(
        result["missing"]
    )
    assert c["tables missing"] == 0, f"tables glued without provenance=: {result['bare_tables']}"
    assert c["figures missing"] == 0, f"figures glued without provenance=: {result['bare_figures']}"


@pytest.mark.parametrize(
    "text, covered",
    [
        ("{glue:text}`m` months ({glue:text}`ci`){glue:md}`x.provenance:commonmark`.", {"m", "ci"}),
        ("{glue:text}`m` months; {glue:text}`ci`{glue:md}`x.provenance:commonmark`", {"ci"}),
        ("{glue:text}`m` — and {glue:text}`ci`{glue:md}`a_prov_b:commonmark`", {"ci"}),
        ("{glue:text}`m`. Then {glue:md}`x.provenance:commonmark`", set()),
    ],
)
def test_clause_rule(tmp_path, text, covered):
    md = tmp_path / "04-x.md"
    md.write_text(text + "\n", encoding="utf-8")
    refs = chapter_facts(md)["refs"]
    assert {name for what, name, badge in refs if what == "value" and badge} == covered


def test_a_figure_without_a_class_is_found(tmp_path):
    md = tmp_path / "04-x.md"
    md.write_text(
        "```{code-cell} ipython3\n"
        'book.glue_figure("fig-a", fig, provenance="published")\n'
        "for k in ks:\n"
        '    book.glue_figure(f"fig-b-{k}", fig)\n'
        "```\n\n"
        "```{glue:figure} fig-a\n```\n\n```{glue:figure} fig-b-os\n```\n\n"
        "```{glue:figure} fig-c\n```\n",
        encoding="utf-8",
    )
    assert chapter_facts(md)["figures"] == ["fig-a", "fig-b-os", "fig-c"]
    result = coverage([md])
    assert result["counts"]["figures with class"] == 1  # fig-a
    # fig-b-os is glued without a class; nothing glues fig-c
    assert result["bare_figures"] == ["04-x: fig-b-os", "04-x: fig-c"]
