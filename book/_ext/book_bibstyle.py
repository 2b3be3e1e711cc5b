"""An author–year bibliography style for pybtex, so the list reads like the citations in the text.

The text cites author–year (``bibtex_reference_style: author_year``: "Hien et al., 2024"); with
pybtex's ``plain`` style the list showed numbered labels [1]…[n] with the year at the end of
each entry. This style puts the authors (surname, initials; "et al." for BibTeX's ``and others``)
and the year in brackets first, sorts by author, year and title, and labels each entry the way the
text cites it ("Hien et al., 2024"), so a reader can find a citation in the list at a glance.

In the text, ``author_year_round`` puts the year in round brackets, as the list does:
"Hien et al. (2024)" for ``{cite:t}``, "(Mosteller, 1987)" for ``{cite:p}`` (sphinxcontrib-bibtex's
``author_year`` uses square ones).

Registered as the pybtex plugins ``authoryear`` (formatting and labels) and the
sphinxcontrib-bibtex referencing style ``author_year_round`` by :func:`register`, called from
``book_site.setup``; ``_config.yml`` selects them with ``bibtex_default_style: authoryear`` and
``bibtex_reference_style: author_year_round``.
"""

from __future__ import annotations

import dataclasses
import functools

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import Symbol, Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

__all__ = ["AuthorYearStyle", "AuthorYearLabelStyle", "RoundAuthorYearReferenceStyle", "register"]


def _is_others(person) -> bool:
    return str(person) == "others"


pages = field("pages", apply_func=lambda t: Text(Symbol("ndash")).join(t.split("--")))


@node
def author_list(children, context, role="author"):
    """Surname, initials; "et al." for a trailing ``and others``."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    if role not in entry.persons:
        raise FieldIsMissing(role, entry)
    persons = entry.persons[role]
    style = context["style"]
    named = [style.format_name(p, style.abbreviate_names) for p in persons if not _is_others(p)]
    if any(_is_others(p) for p in persons):
        return join(sep=", ")[named + ["et al."]].format_data(context)
    return join(sep=", ", sep2=" and ", last_sep=", and ")[named].format_data(context)


@functools.cache
def _text_backend():
    """pybtex's ``text`` backend class, looked up once: what ``Text.render_as("text")`` finds
    on every call by scanning the installed entry points (~8 ms each, ~70 calls a build)."""
    return find_plugin("pybtex.backends", "text")


def _plain(text: Text) -> str:
    """``text.render_as("text")``: the same rendering with the backend class found once."""
    return text.render(_text_backend()())


def _surname(person) -> str:
    return _plain(Text.from_latex(" ".join(person.prelast_names + person.last_names)))


def citation_label(entry) -> str:
    """ "Surname, year", "A and B, year" or "A et al., year" — as the text cites an entry."""
    persons = entry.persons.get("author", [])
    named = [p for p in persons if not _is_others(p)]
    year = entry.fields.get("year", "n.d.")
    if not named:
        return f"{_plain(Text.from_latex(entry.fields.get('title', entry.key)))}, {year}"
    if len(named) == 1 and len(persons) == 1:
        who = _surname(named[0])
    elif len(named) == 2 and len(persons) == 2:
        who = f"{_surname(named[0])} and {_surname(named[1])}"
    else:
        who = f"{_surname(named[0])} et al."
    return f"{who}, {year}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Hien et al., 2024"; a, b, … appended when two entries would share one."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [citation_label(e) for e in entries]
        counts: dict[str, int] = {}
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
        seen: dict[str, int] = {}
        for label in labels:
            if counts[label] == 1:
                yield label
            else:
                seen[label] = seen.get(label, 0) + 1
                yield f"{label}{chr(ord('a') + seen[label] - 1)}"


class AuthorYearStyle(UnsrtStyle):
    """Authors (year). Title. Source, volume(number):pages. Note. DOI."""

    default_name_style = "lastfirst"
    default_label_style = "authoryear"
    default_sorting_style = "author_year_title"

    def __init__(self, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(**kwargs)

    def _head(self):
        return first_of[
            optional[sentence(sep=" ")[author_list(), join["(", field("year"), ")"]]],
            sentence[join["(", field("year"), ")"]],
        ]

    def get_article_template(self, e):
        volume_and_pages = first_of[
            optional[join[field("volume"), optional["(", field("number"), ")"], ":", pages]],
            words["pages", pages],
        ]
        return toplevel[
            self._head(),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], optional[volume_and_pages]],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return toplevel[
            self._head(),
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[field("publisher"), optional_field("address"), self.format_edition(e)],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e):
        return toplevel[
            self._head(),
            self.format_title(e, "title"),
            words[
                "In",
                sentence[self.format_btitle(e, "booktitle", as_sentence=False), optional[pages]],
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_techreport_template(self, e):
        return toplevel[
            self._head(),
            self.format_title(e, "title"),
            sentence[
                words[
                    first_of[optional_field("type"), "Technical Report"], optional_field("number")
                ],
                field("institution"),
                optional_field("address"),
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            self._head(),
            optional[self.format_title(e, "title")],
            sentence[optional[field("howpublished")], optional_field("publisher")],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclasses.dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Author–year citations with round brackets: "Hien et al. (2024)", "(Cox, 1972)"."""

    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_textual: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_author: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_label: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_year: BracketStyle = dataclasses.field(default_factory=_round)


@functools.cache
def _plaintext_backend():
    return find_plugin("pybtex.backends", "plaintext")


def register() -> None:
    """Make ``authoryear`` and ``author_year_round`` known (idempotent)."""
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle, force=True)
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle, force=True)
    # sphinxcontrib-bibtex finds the ``plaintext`` backend once per citation (tooltips), each
    # time scanning the installed entry points: the class they name, registered at run time
    # (looked up first), is found in a dict
    register_plugin("pybtex.backends", "plaintext", _plaintext_backend(), force=True)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        "author_year_round",
        RoundAuthorYearReferenceStyle,
        force=True,
    )
