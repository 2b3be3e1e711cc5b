"""Where a number comes from: published, determined or assumed.

Core layer: imports nothing else from :mod:`analysis`.

Every result the book shows is computed on one synthetic cohort, but not every result is the
paper's. Three classes, each defined once here:

:data:`PUBLISHED`
    a number the paper prints, and a calibration target: the synthetic cohort is made to
    reproduce it (whether it does is the calibration's verdict, :mod:`analysis.verdicts`).
:data:`DETERMINED`
    not printed by the paper, but pinned down by what it prints: computed from the printed
    numbers alone, or the same, within a stated tolerance, in every cohort of an ensemble
    calibrated to the same targets with the same generator choices and differing only in the
    random seed (:mod:`analysis.ensemble` measures the spread; the rule is
    :func:`analysis.ensemble.spread_class`). No cohort reproduces every printed number (part of
    Table 2 is out of reach), so "determined" means given those targets and those choices. So is
    this cohort's estimate of a number the paper prints when it reproduces it and is alike in
    every calibrated cohort (:func:`cohort_estimate`, :data:`REPRODUCED`).
:data:`ASSUMED`
    varies across such cohorts, or rests on a choice of the generator that the paper does not
    report (the timing of additional TACE or of response, heights and weights…). Such a result
    illustrates a method on this synthetic cohort; it says nothing about the study. So is this
    cohort's estimate of a number the paper prints when it prints another value
    (:func:`cohort_estimate`): the paper contradicts it, so it rests on the generator's draw,
    however alike the calibrated cohorts are.

A :class:`Provenance` is carried by the result objects (``provenance`` field of
:class:`analysis.survival.MedianResult` and its siblings) and glued beside the number as a small
badge (``{glue:md}`name.provenance``` in a chapter; :meth:`Provenance._repr_markdown_`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "ASSUMED",
    "CLASSES",
    "DETERMINED",
    "PUBLISHED",
    "Provenance",
    "CONTRADICTED",
    "REPRODUCED",
    "assumed",
    "classify",
    "cohort_estimate",
    "published",
    "typographic",
]

#: A number the paper prints (a calibration target).
PUBLISHED = "published"
#: Not printed, but follows from the printed numbers or holds in every calibrated cohort.
DETERMINED = "determined"
#: Varies across calibrated cohorts, or rests on a generator choice.
ASSUMED = "assumed"
#: The three classes, in this order.
CLASSES = (PUBLISHED, DETERMINED, ASSUMED)

#: Meaning of each class, in short sentences, for the printed legend and the tooltips.
MEANINGS = {
    PUBLISHED: "printed in the paper; the synthetic cohort is calibrated to it",
    DETERMINED: (  # three short sentences (it was one of 55 words)
        "not printed, but follows from the paper. It is worked out from the printed numbers,"
        " or the same (within a stated tolerance) in every cohort calibrated to the same targets"
        " with the same generator choices, whatever the random seed. It can also be this"
        " cohort's estimate of a printed number that it reproduces"
    ),
    ASSUMED: "depends on choices made for the synthetic cohort, not on the paper",
}
#: What the mark after "published" means (the printed legend; a badge's tooltip says it of itself).
VERDICT_MEANING = "this cohort reproduces the printed number (\u2713) or does not (\u2717)"
#: The badges' tooltips: :data:`MEANINGS`, the determined one shortened (a badge links to the
#: legend in chapter 1, which gives it whole; chapter 8 carries it 62 times, and its page is
#: held under 200 KB).
TOOLTIPS = {
    **MEANINGS,
    DETERMINED: (
        "not printed; from the printed numbers, or the same in all cohorts calibrated to the same"
        " targets"
    ),
}


#: A straight single quote that closes: after a letter, a digit or closing punctuation (the
#: paper's, the rules' bars, 'HR (interval)').
_CLOSING_QUOTE = re.compile(r"(?<=[\w.,;:!?)\]%])'")
#: One that opens: before a letter, a digit or an opening bracket ('HR …').
_OPENING_QUOTE = re.compile(r"'(?=[\w(\[])")


def typographic(text: str) -> str:
    """Text the package writes as raw HTML, with the book's apostrophes and single quotes.

    Sphinx's smart quotes print the chapters' prose with a typographic apostrophe (the paper’s),
    but never touch raw HTML: a badge's note and tooltip, the legend of the badges, the line
    "In this figure: …" under a figure (:func:`analysis.book.figure_provenance`) and an explicit
    alt text showed the straight one (the paper's) beside prose that showed ’. A straight quote
    after a letter, a digit or closing punctuation becomes ’ (an apostrophe or a closing quote),
    one before a letter, a digit or a bracket becomes ‘; any other is left. Here, not in
    :mod:`analysis.formatting`, because the badge (:meth:`Provenance.badge`) needs it and the
    core modules import nothing of each other.

    Parameters
    ----------
    text : str
        Plain text (not HTML: escape it afterwards).

    Returns
    -------
    str
        The text with typographic single quotes; the same text when it has no straight one.

    Examples
    --------
    >>> typographic("the paper's medians · the 2022 rules' bars (the patients' stages)")
    'the paper’s medians · the 2022 rules’ bars (the patients’ stages)'
    >>> typographic("'HR ✓ (interval)', the cohort's 'Reproduced'")
    '‘HR ✓ (interval)’, the cohort’s ‘Reproduced’'
    """
    return _OPENING_QUOTE.sub("\u2018", _CLOSING_QUOTE.sub("\u2019", text))


@dataclass(frozen=True)
class Provenance:
    """The class of a result and, for an assumed one, what it rests on.

    Examples
    --------
    >>> p = Provenance("assumed", "timing of additional TACE")
    >>> str(p)
    'assumed: timing of additional TACE'
    >>> p._repr_markdown_()  # the class and its note joined by a no-break space
    '<sup class="provenance provenance-assumed" title="depends on choices made for the synthetic cohort, not on the paper">assumed:\xa0timing of additional TACE</sup>'
    >>> try:
    ...     Provenance("guessed")
    ... except ValueError as error:
    ...     print(error)
    provenance must be one of published, determined, assumed; got 'guessed'
    """

    kind: str
    note: str = ""

    def __post_init__(self):
        if self.kind not in CLASSES:
            raise ValueError(f"provenance must be one of {', '.join(CLASSES)}; got {self.kind!r}")

    def __str__(self) -> str:
        if self.note == REPRODUCED:
            return self.kind  # said by its tooltip alone
        if self.kind == PUBLISHED and self.note in VERDICT_MARKS:
            return f"{self.kind} {self.note}"  # "published ✓": the calibration's verdict
        return f"{self.kind}: {self.note}" if self.note else self.kind

    @property
    def label(self) -> str:
        """``"(published)"``, ``"(assumed: …)"``: the short label for plain text."""
        return f"({self})"

    def _repr_markdown_(self) -> str:
        """The badge (inline HTML, styled by ``book.css``; the title explains the class)."""
        return self.badge()

    def badge(self, compact: bool = False) -> str:
        """The badge as inline HTML; ``compact`` shows only the class (and a verdict mark) and
        moves the note into the tooltip, for table cells and headers.

        Examples
        --------
        >>> print(assumed("heights").badge(compact=True))
        <sup class="provenance provenance-assumed" title="depends on choices made for the synthetic cohort, not on the paper (heights)">assumed</sup>
        """
        title = REASON_TOOLTIPS.get(self.note, TOOLTIPS[self.kind])
        text = str(self).replace(" ✓", "\u00a0✓").replace(" ✗", "\u00a0✗")  # never split
        # nor "assumed:" from its reason (a printed sheet ended with "assumed:")
        text = text.replace(f"{self.kind}: ", f"{self.kind}:\u00a0", 1)
        if self.note in VERDICT_MARKS:
            title += "; this cohort " + (
                "reproduces it" if self.note == "✓" else "does not reproduce it"
            )
        elif compact and self.note in REASON_TOOLTIPS:
            text = self.kind  # the tooltip says the reason already
        elif compact and self.note:
            title, text = f"{title} ({self.note})", self.kind
        title, text = typographic(title), typographic(text)  # raw HTML: no smart quotes
        return (
            f'<sup class="provenance provenance-{self.kind}" '
            f'title="{html.escape(title)}">{html.escape(text)}</sup>'
        )

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.label)


def assumed(note: str) -> Provenance:
    """An assumed result and the choice it rests on.

    Parameters
    ----------
    note : str
        What the result rests on (a choice of the generator), or why it is assumed.

    Returns
    -------
    Provenance
        Of kind :data:`ASSUMED`.

    Examples
    --------
    >>> p = assumed("timing of response")
    >>> p.kind, p.note, p.label
    ('assumed', 'timing of response', '(assumed: timing of response)')
    """
    return Provenance(ASSUMED, note)


#: The mark a published result's badge carries for the calibration's verdict.
VERDICT_MARKS = ("✓", "✗")


def published(reproduced: bool | None = None) -> Provenance:
    """A published result (a calibration target) and whether this cohort reproduces it: ✓ when
    ``reproduced`` is true, ✗ when false, no mark when None (a number quoted from the paper, or
    not scored). Verdict words become this flag in the report layer
    (:func:`analysis.book.verdict_provenance`).

    Examples
    --------
    >>> str(published(True)), str(published(False)), str(published())
    ('published ✓', 'published ✗', 'published')
    """
    if reproduced is not None and not isinstance(reproduced, bool):
        raise TypeError(f"published(reproduced): expected True, False or None, got {reproduced!r}")
    return Provenance(PUBLISHED, "" if reproduced is None else VERDICT_MARKS[not reproduced])


#: What an estimate of a printed number rests on when this cohort prints another value
#: (:func:`cohort_estimate`).
CONTRADICTED = "the paper prints another value"

#: The note of this cohort's determined estimate of a number the paper prints, which it
#: reproduces (:func:`cohort_estimate`): not shown, its tooltip says it.
REPRODUCED = "this cohort reproduces the printed number"

#: Tooltips of the notes that the generic ones (:data:`TOOLTIPS`) would contradict: an estimate
#: of a number the paper prints is not "not printed" (determined, :data:`REPRODUCED`) nor "not on
#: the paper" (assumed, :data:`CONTRADICTED`).
REASON_TOOLTIPS = {
    CONTRADICTED: (
        "this cohort's estimate of a number the paper prints; the paper prints another value,"
        " so it rests on the generator's draw"
    ),
    REPRODUCED: (
        "this cohort's estimate of a number the paper prints, which it reproduces; the same in"
        " every cohort calibrated to the same targets"
    ),
}


def cohort_estimate(spread: Provenance, reproduced: bool | None) -> Provenance:
    """The class of this cohort's estimate of a number the paper prints: ``spread``, its class
    by its spread across calibrated cohorts, unless this cohort does not reproduce the printed
    number (``reproduced`` false). Such an estimate cannot be *determined* by the paper, which
    prints another value: it is *assumed*, resting on the generator's draw
    (:data:`CONTRADICTED`), even when every calibrated cohort misses the number alike. An
    estimate that reproduces it, or is not scored (``reproduced`` None), keeps ``spread``; so
    does one already assumed, with its own reason. A determined estimate that reproduces it is
    shown as determined, its tooltip saying that it is an estimate of a printed number
    (:data:`REPRODUCED`), not a number the paper leaves out.

    Parameters
    ----------
    spread : Provenance
        The estimate's class by its spread across calibrated cohorts.
    reproduced : bool or None
        Whether this cohort prints the paper's number (a ✓ or ✗ beside it); None: not scored.

    Returns
    -------
    Provenance

    Examples
    --------
    Every calibrated cohort gives a multivariable prior-TACE HR of about 1.11; the paper
    prints 1.521:

    >>> determined = Provenance(DETERMINED)
    >>> str(cohort_estimate(determined, False))
    'assumed: the paper prints another value'
    >>> str(cohort_estimate(determined, True)), str(cohort_estimate(determined, None))
    ('determined', 'determined')
    >>> str(cohort_estimate(assumed("varies across calibrated cohorts"), False))
    'assumed: varies across calibrated cohorts'

    Each badge says why in its own words, not the generic tooltip ("not on the paper", "not
    printed"):

    >>> print(cohort_estimate(determined, False).badge(compact=True))
    <sup class="provenance provenance-assumed" title="this cohort’s estimate of a number the paper prints; the paper prints another value, so it rests on the generator’s draw">assumed</sup>
    >>> print(cohort_estimate(determined, True).badge())
    <sup class="provenance provenance-determined" title="this cohort’s estimate of a number the paper prints, which it reproduces; the same in every cohort calibrated to the same targets">determined</sup>
    """
    if reproduced is False and spread.kind == DETERMINED:
        return assumed(CONTRADICTED)
    if reproduced is True and spread.kind == DETERMINED:
        return Provenance(DETERMINED, REPRODUCED)
    return spread


def classify(relative_spread: float, threshold: float) -> str:
    """:data:`DETERMINED` when a spread across calibrated cohorts is within ``threshold``,
    otherwise :data:`ASSUMED` (a NaN spread — the result does not exist in some cohort — is
    assumed).

    Examples
    --------
    >>> classify(0.03, 0.10), classify(0.25, 0.10), classify(float("nan"), 0.10)
    ('determined', 'assumed', 'assumed')
    """
    if relative_spread != relative_spread:  # NaN
        return ASSUMED
    return DETERMINED if relative_spread <= threshold else ASSUMED
