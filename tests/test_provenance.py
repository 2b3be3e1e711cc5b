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
