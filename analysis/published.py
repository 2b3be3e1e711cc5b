"""The numbers Hien et al. (2024) print, loaded from ``data/published/`` and validated.

Every number in the paper (tables, prose, figure captions) is one entry of a YAML file in
:data:`analysis.PUBLISHED_DIR`; ``data/published/SCHEMA.md`` describes the fields and the id
conventions. Nothing in the book types a published number by hand: chapters and the audit read
them through this module.

Main entry points
-----------------
:func:`load`
    every entry as a :class:`pandas.DataFrame` (validated, cached).
:func:`entry`, :func:`value`, :func:`interval`
    one entry by id.
:func:`by_quantity`
    every place that reports one quantity (e.g. both versions of a number the paper prints
    differently in the abstract and in the results).
:func:`agrees`, :func:`~analysis.formatting.rounded`
    compare a computed number with a printed one by rounding **half up** in decimal arithmetic,
    the way a reader rounds by hand.
:func:`bound_decimals`
    the decimals an interval's bounds are read at ("8.7–11" as 8.7–11.0), the one reading of
    :func:`agrees`, the feasibility checks, the calibration and the audit.

Rounding
--------
Python's :func:`round`, NumPy's ``np.round`` and R's ``round()`` round half to even on the
binary value (``round(2.675, 2) == 2.67``, ``round(0.125, 2) == 0.12``); SPSS and Excel display
halves rounded away from zero, as a reader rounding by hand does. :func:`~analysis.formatting.rounded` takes the shortest decimal
representation of the number (``repr``) and rounds it half up with :mod:`decimal`, so
``rounded(2.675, 2) == "2.68"`` and ``rounded(0.125, 2) == "0.13"``.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from analysis import PUBLISHED_DIR
from analysis.formatting import decimal_of, round_decimal, rounded

#: PyYAML's safe loader, LibYAML's C parser when PyYAML has it (the same objects, 10x faster:
#: every chapter kernel and command reads the published numbers and the data dictionary).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = [
    "COLUMNS",
    "KINDS",
    "LOCATIONS",
    "Entry",
    "PublishedError",
    "agrees",
    "bound_decimals",
    "by_quantity",
    "clear_cache",
    "entry",
    "files_signature",
    "ids",
    "interval",
    "load",
    "parse_text",
    "rounded",
    "value",
]

#: Kinds of entries. The first eight are the statistical kinds of the design; the others
#: hold the protocol numbers of the methods and the prose (see SCHEMA.md).
KINDS = (
    "count",
    "percent",
    "mean",
    "sd",
    "median",
    "interval",
    "hr",
    "p",
    "dose",
    "threshold",
    "duration",
    "year",
    "day",
    "measurement",
    "version",
)

#: Where in the paper a number is printed.
LOCATIONS = (
    "abstract",
    "introduction",
    "highlights",
    "methods",
    "results",
    "table1",
    "table2",
    "figure1",
    "figure2",
    "figure3",
    "discussion",
    "conclusions",
)

#: Columns of :func:`load`, in order.
COLUMNS = (
    "id",
    "location",
    "quantity",
    "text",
    "kind",
    "value",
    "lower",
    "upper",
    "decimals",
    "relation",
    "reference",
    "note",
    "file",
)

_FIELDS = set(COLUMNS) - {"file"}
_REQUIRED = ("id", "location", "quantity", "text", "kind", "decimals")
_P_RELATIONS = ("=", "<")
_THRESHOLD_RELATIONS = ("=", "<", ">", "<=", ">=")
_NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_EN_DASH = "\u2013"

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


class PublishedError(ValueError):
    """A published-number file or lookup is invalid; the message names file, id, field and value.

    Examples
    --------
    >>> try:
    ...     agrees(3.0, "figure1.os_median_dc.interval")
    ... except PublishedError as error:
    ...     print(error)
    figures.yaml: entry 'figure1.os_median_dc.interval': field 'computed' = 3.0: an interval needs a (lower, upper) pair
    """


@dataclass(frozen=True)
class Entry:
    """One number printed in the paper.

    Attributes
    ----------
    id : str
        ``<location>.<quantity>.<part>`` (Table 2: ``table2.<term>.<uni|multi>.<part>``).
    location : str
        Where it is printed, one of :data:`LOCATIONS`.
    quantity : str
        What is measured; shared by every entry that reports the same quantity elsewhere.
    text : str
        The number as printed (``"348,100"``, ``"<0.001"``, ``"8.7–11"``, ``"Twenty-six"``).
    kind : str
        One of :data:`KINDS`.
    value : float or None
        The parsed number (``None`` for intervals; for ``"<0.001"`` it is 0.001).
    lower, upper : float or None
        The bounds of an interval (``None`` otherwise).
    decimals : int
        Decimals as printed; for an interval, the larger of its bounds' decimals.
    relation : str or None
        ``"="`` or ``"<"`` for P values; the inequality of a threshold.
    reference : bool
        True for a reference-category row of Table 2 (printed ``1``).
    note : str or None
        What a reader needs to know (a contradiction, a typo, a label that does not fit).
    file : str
        The YAML file the entry comes from.

    Examples
    --------
    >>> e = entry("table1.age_years.mean")
    >>> e.text, e.kind, e.value, e.decimals, e.file
    ('60.5', 'mean', 60.5, 1, 'table1.yaml')
    """

    id: str
    location: str
    quantity: str
    text: str
    kind: str
    value: float | None
    lower: float | None
    upper: float | None
    decimals: int
    relation: str | None
    reference: bool
    note: str | None
    file: str


# ----------------------------------------------------------------------------- parsing


def _parse_token(token: str) -> tuple[Decimal, int]:
    """Parse one printed number (digits with optional thousands separators, or a number word)."""
    if _NUMBER.match(token):
        number = token.replace(",", "")
        decimals = len(number.split(".")[1]) if "." in number else 0
        return Decimal(number), decimals
    word = token.lower()
    if word in _UNITS:
        return Decimal(_UNITS[word]), 0
    if word in _ORDINALS:
        return Decimal(_ORDINALS[word]), 0
    if word in _TENS:
        return Decimal(_TENS[word]), 0
    if "-" in word:
        tens, _, unit = word.partition("-")
        if tens in _TENS and unit in _UNITS and 0 < _UNITS[unit] < 10:
            return Decimal(_TENS[tens] + _UNITS[unit]), 0
    raise ValueError(f"cannot read {token!r} as a printed number")


def parse_text(text: str) -> dict:
    """Parse a number as printed in the paper.

    Parameters
    ----------
    text : str
        ``"60.5"``, ``"348,100"``, ``"<0.001"``, ``"1.7–348,100"`` (en dash), or a number word
        (``"Twenty-six"``, ``"four"``, ``"third"``).

    Returns
    -------
    dict
        For a single number: ``value`` (:class:`~decimal.Decimal`), ``decimals`` and
        ``relation`` (``"<"`` when the text starts with ``<``, else ``None``). For an interval:
        ``lower``, ``upper`` (Decimals), ``lower_decimals``, ``upper_decimals`` and
        ``decimals`` (the larger of the two).

    Raises
    ------
    ValueError
        When the text is not a number as the paper prints numbers (a hyphen instead of an en
        dash, a malformed thousands separator, an unknown word).

    Examples
    --------
    >>> parse_text("348,100")
    {'value': Decimal('348100'), 'decimals': 0, 'relation': None}
    >>> parse_text("<0.001")["relation"], parse_text("Twenty-six")["value"]
    ('<', Decimal('26'))
    >>> parse_text("1.7–348,100")["decimals"]   # the larger of the bounds' decimals
    1
    """
    if not isinstance(text, str) or text != text.strip() or not text:
        raise ValueError(
            f"text must be a non-empty string without surrounding spaces, got {text!r}"
        )
    if _EN_DASH in text:
        parts = text.split(_EN_DASH)
        if len(parts) != 2:
            raise ValueError(f"an interval needs exactly one en dash, got {text!r}")
        (lower, lower_decimals), (upper, upper_decimals) = (_parse_token(p) for p in parts)
        return {
            "lower": lower,
            "upper": upper,
            "lower_decimals": lower_decimals,
            "upper_decimals": upper_decimals,
            "decimals": max(lower_decimals, upper_decimals),
        }
    relation = None
    token = text
    if token.startswith("<"):
        relation, token = "<", token[1:]
    number, decimals = _parse_token(token)
    return {"value": number, "decimals": decimals, "relation": relation}


def _as_decimal(x) -> Decimal:
    """The shortest decimal representation of a number (:func:`analysis.formatting.decimal_of`)."""
    return decimal_of(x)


# ----------------------------------------------------------------------------- validation


def _fail(file: str, entry_id, field: str, value, problem: str):
    raise PublishedError(f"{file}: entry {entry_id!r}: field {field!r} = {value!r}: {problem}")


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _check_id(file: str, raw: dict) -> None:
    entry_id, location, quantity, kind = raw["id"], raw["location"], raw["quantity"], raw["kind"]
    segments = entry_id.split(".")
    if any(not _NAME.match(s) for s in segments):
        _fail(file, entry_id, "id", entry_id, "segments must be lower case [a-z0-9_]")
    if segments[0] != location:
        _fail(file, entry_id, "location", location, f"id starts with {segments[0]!r}")
    part = segments[-1]
    if location == "table2":
        if len(segments) != 4 or segments[2] not in ("uni", "multi"):
            _fail(
                file, entry_id, "id", entry_id, "Table 2 ids are table2.<term>.<uni|multi>.<part>"
            )
        term, model = segments[1], segments[2]
        expected = f"hr_{term}" if model == "multi" else f"hr_{term}_uni"
        if quantity != expected:
            _fail(file, entry_id, "quantity", quantity, f"expected {expected!r} for this id")
        if part != kind:
            _fail(file, entry_id, "id", entry_id, f"last part must be the kind {kind!r}")
    else:
        if len(segments) != 3:
            _fail(file, entry_id, "id", entry_id, "ids are <location>.<quantity>.<part>")
        if segments[1] != quantity:
            _fail(file, entry_id, "quantity", quantity, f"id names quantity {segments[1]!r}")
        if not re.match(rf"^{kind}(_[a-z0-9]+)?$", part):
            _fail(file, entry_id, "id", entry_id, f"last part must be {kind!r} or {kind}_<suffix>")


def _validate(file: str, raw, position: int) -> dict:
    """Check one raw YAML entry and return it as a row dict."""
    if not isinstance(raw, dict):
        _fail(file, f"#{position}", "entry", raw, "each entry must be a mapping")
    entry_id = raw.get("id", f"#{position}")
    for field in _REQUIRED:
        if raw.get(field) is None:
            _fail(file, entry_id, field, None, "required field is missing")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        _fail(
            file, entry_id, unknown[0], raw[unknown[0]], f"unknown field (known: {sorted(_FIELDS)})"
        )
    for field in ("id", "location", "quantity", "text", "kind"):
        if not isinstance(raw[field], str):
            _fail(file, entry_id, field, raw[field], "must be a string")
    kind, location = raw["kind"], raw["location"]
    if kind not in KINDS:
        _fail(file, entry_id, "kind", kind, f"unknown kind (known: {', '.join(KINDS)})")
    if location not in LOCATIONS:
        _fail(
            file,
            entry_id,
            "location",
            location,
            f"unknown location (known: {', '.join(LOCATIONS)})",
        )
    _check_id(file, raw)
    decimals = raw["decimals"]
    if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
        _fail(file, entry_id, "decimals", decimals, "must be a non-negative integer")

    try:
        parsed = parse_text(raw["text"])
    except ValueError as err:
        _fail(file, entry_id, "text", raw["text"], str(err))
    if (kind == "interval") != ("lower" in parsed):
        _fail(
            file,
            entry_id,
            "text",
            raw["text"],
            f"an en-dash interval iff kind is 'interval' ({kind!r})",
        )
    if parsed["decimals"] != decimals:
        _fail(
            file, entry_id, "decimals", decimals, f"text {raw['text']!r} has {parsed['decimals']}"
        )

    row = {c: None for c in COLUMNS}
    row.update({k: raw[k] for k in ("id", "location", "quantity", "text", "kind")})
    row["decimals"] = decimals
    row["file"] = file
    if kind == "interval":
        if "value" in raw:
            _fail(
                file, entry_id, "value", raw["value"], "intervals store lower and upper, not value"
            )
        for bound in ("lower", "upper"):
            number = raw.get(bound)
            if not _is_number(number):
                _fail(file, entry_id, bound, number, "an interval needs a finite number here")
            if _as_decimal(number) != parsed[bound]:
                _fail(file, entry_id, bound, number, f"text {raw['text']!r} reads {parsed[bound]}")
            row[bound] = float(number)
        if row["lower"] > row["upper"]:
            _fail(file, entry_id, "lower", raw["lower"], f"exceeds upper {raw['upper']!r}")
    else:
        for bound in ("lower", "upper"):
            if bound in raw:
                _fail(file, entry_id, bound, raw[bound], "only intervals have bounds")
        number = raw.get("value")
        if not _is_number(number):
            _fail(file, entry_id, "value", number, "required finite number")
        if _as_decimal(number) != parsed["value"]:
            _fail(file, entry_id, "value", number, f"text {raw['text']!r} reads {parsed['value']}")
        row["value"] = float(number)
        _check_range(file, entry_id, kind, row["value"])

    relation = raw.get("relation")
    if kind == "p":
        if relation not in _P_RELATIONS:
            _fail(file, entry_id, "relation", relation, "a P value needs relation '=' or '<'")
        if (parsed["relation"] == "<") != (relation == "<"):
            _fail(file, entry_id, "relation", relation, f"does not match text {raw['text']!r}")
    elif kind == "threshold":
        if relation is not None and relation not in _THRESHOLD_RELATIONS:
            _fail(file, entry_id, "relation", relation, f"must be one of {_THRESHOLD_RELATIONS}")
        if parsed.get("relation"):
            _fail(file, entry_id, "text", raw["text"], "put the inequality in 'relation'")
    else:
        if relation is not None:
            _fail(
                file, entry_id, "relation", relation, f"only p and threshold entries, not {kind!r}"
            )
        if parsed.get("relation"):
            _fail(file, entry_id, "text", raw["text"], f"'<' only for p entries, not {kind!r}")
    row["relation"] = relation

    reference = raw.get("reference", False)
    if not isinstance(reference, bool):
        _fail(file, entry_id, "reference", reference, "must be true or false")
    if reference and not (location == "table2" and kind == "hr" and raw["text"] == "1"):
        _fail(file, entry_id, "reference", reference, "only Table 2 hr entries printed '1'")
    row["reference"] = reference

    note = raw.get("note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        _fail(file, entry_id, "note", note, "must be non-empty text")
    row["note"] = note
    return row


def _check_range(file: str, entry_id: str, kind: str, number: float) -> None:
    if kind == "percent" and not 0 <= number <= 100:
        _fail(file, entry_id, "value", number, "a percent lies in [0, 100]")
    if kind == "p" and not 0 <= number <= 1:
        _fail(file, entry_id, "value", number, "a P value lies in [0, 1]")
    if kind == "count" and (number < 0 or number != int(number)):
        _fail(file, entry_id, "value", number, "a count is a non-negative integer")
    if kind == "hr" and number <= 0:
        _fail(file, entry_id, "value", number, "a hazard ratio is positive")
    if kind == "sd" and number < 0:
        _fail(file, entry_id, "value", number, "a standard deviation is not negative")


# ----------------------------------------------------------------------------- loading


def _directory(directory) -> Path:
    return Path(PUBLISHED_DIR if directory is None else directory)


#: The default folder, resolved (``REPO_ROOT`` is resolved when the package is imported): the
#: lookups of the default folder (:func:`entry` alone, thousands of times a chapter) skip
#: ``Path.resolve``, about half of each lookup's 50 µs.
_DEFAULT_RESOLVED = Path(PUBLISHED_DIR).resolve()


def _resolved(directory) -> Path:
    return _DEFAULT_RESOLVED if directory is None else _directory(directory).resolve()


def files_signature(directory=None) -> tuple:
    """The state of the published files: ``(name, mtime_ns, size)`` of each ``*.yaml``, by name.

    A cache key for functions of the published numbers alone (:func:`load` uses it, and so do
    :func:`analysis.paper.table2_feasibility` and :func:`analysis.synthesis.feasibility`): an
    edited file changes it, so they compute again.

    Examples
    --------
    >>> sig = files_signature()
    >>> sig == files_signature() and all(name.endswith(".yaml") for name, _, _ in sig)
    True
    """
    return _signature(_resolved(directory))


def _signature(directory: Path) -> tuple:
    """``(name, mtime_ns, size)`` of each ``*.yaml`` in ``directory``, by name.

    Computed on every lookup (:func:`entry` and :func:`value` included, tens of thousands of
    times in a test run), so with one scan of the folder and one ``stat`` a file: ``glob`` and
    two ``stat`` calls a file took twice as long (about 44 against 18 µs); the same tuple.
    """
    try:
        with os.scandir(directory) as found:
            files = sorted((f for f in found if f.name.endswith(".yaml")), key=lambda f: f.name)
    except OSError:  # no such folder, or not a folder: as no file in it
        files = []
    if not files:
        raise PublishedError(
            f"{directory}: field 'directory' = {str(directory)!r}: no *.yaml files"
        )
    stats = [(f.name, f.stat()) for f in files]  # follows a link, as Path.stat
    return tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats)


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str, signature: tuple) -> pd.DataFrame:
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for name, _, _ in signature:
        with open(Path(directory) / name, encoding="utf-8") as handle:
            try:
                entries = yaml.load(handle, Loader=YAML_LOADER)
            except yaml.YAMLError as err:
                raise PublishedError(
                    f"{name}: field 'yaml' = None: not valid YAML ({err})"
                ) from err
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            _fail(
                name, None, "file", type(entries).__name__, "a file must be a YAML list of entries"
            )
        for position, raw in enumerate(entries):
            row = _validate(name, raw, position)
            if row["id"] in seen:
                _fail(name, row["id"], "id", row["id"], f"duplicate id (also in {seen[row['id']]})")
            seen[row["id"]] = name
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["decimals"] = frame["decimals"].astype(int)
    frame["reference"] = frame["reference"].astype(bool)
    for column in ("value", "lower", "upper"):
        frame[column] = frame[column].astype(float)
    return frame


def load(directory=None) -> pd.DataFrame:
    """Load and validate every published number.

    Parameters
    ----------
    directory : path-like, optional
        Folder of ``*.yaml`` files; default :data:`analysis.PUBLISHED_DIR`.

    Returns
    -------
    pandas.DataFrame
        One row per entry with columns :data:`COLUMNS` (``id``, ``location``, ``quantity``,
        ``text``, ``kind``, ``value``, ``lower``, ``upper``, ``decimals``, ``relation``,
        ``reference``, ``note``, ``file``), files in alphabetical order and entries in file
        order. ``value`` is NaN for intervals; ``lower``/``upper`` are NaN otherwise. The result
        is cached on the files' names, sizes and modification times; a copy is returned.

    Raises
    ------
    PublishedError
        When an entry is invalid; the message names the file, the entry id, the field and the
        offending value.

    Examples
    --------
    >>> table = load()
    >>> table.columns.tolist()[:5]
    ['id', 'location', 'quantity', 'text', 'kind']
    >>> table.set_index("id").loc["table1.age_years.sd", "text"]
    '10.7'
    """
    path = _resolved(directory)
    return _load_cached(str(path), _signature(path)).copy()


def clear_cache() -> None:
    """Forget loaded files (they are re-read when they change anyway).

    Examples
    --------
    >>> clear_cache()
    >>> len(load()) == len(ids())   # read again from data/published/
    True
    """
    _load_cached.cache_clear()
    _entries.cache_clear()


@functools.lru_cache(maxsize=8)
def _entries(directory: str, signature: tuple) -> dict[str, Entry]:
    frame = _load_cached(directory, signature)
    out = {}
    for record in frame.to_dict("records"):
        for column in ("value", "lower", "upper"):
            if isinstance(record[column], float) and math.isnan(record[column]):
                record[column] = None
        out[record["id"]] = Entry(**record)
    return out


def _all(directory=None) -> dict[str, Entry]:
    path = _resolved(directory)
    return _entries(str(path), _signature(path))


def entry(entry_id: str, directory=None) -> Entry:
    """Return one entry by id.

    Raises
    ------
    KeyError
        For an unknown id; the message suggests close ids.

    Examples
    --------
    >>> entry("table1.age_years.mean").text
    '60.5'
    >>> try:
    ...     entry("table1.age_year.mean")
    ... except KeyError as error:
    ...     print(error.args[0])
    no published entry with id 'table1.age_year.mean'; did you mean table1.age_years.mean, table1.age_years.sd, table2.age_years.uni.p?
    """
    entries = _all(directory)
    try:
        return entries[entry_id]
    except KeyError:
        close = difflib.get_close_matches(str(entry_id), entries, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no published entry with id {entry_id!r}{hint}") from None


def value(entry_id: str, directory=None) -> float:
    """The printed value of a non-interval entry (``"<0.001"`` gives 0.001).

    Examples
    --------
    >>> value("table1.afp_ng_ml.median"), value("figure1.logrank_dc_vs_pd.p")   # "333.4", "<0.001"
    (333.4, 0.001)
    """
    found = entry(entry_id, directory)
    if found.kind == "interval":
        raise PublishedError(
            f"{found.file}: entry {entry_id!r}: field 'kind' = 'interval': use interval() for bounds"
        )
    return found.value


def interval(entry_id: str, directory=None) -> tuple[float, float]:
    """The printed ``(lower, upper)`` of an interval entry.

    Examples
    --------
    >>> interval("table1.afp_ng_ml.interval")   # printed "1.7–348,100"
    (1.7, 348100.0)
    """
    found = entry(entry_id, directory)
    if found.kind != "interval":
        raise PublishedError(
            f"{found.file}: entry {entry_id!r}: field 'kind' = {found.kind!r}: not an interval"
        )
    return found.lower, found.upper


def by_quantity(quantity: str, directory=None) -> pd.DataFrame:
    """Every entry reporting ``quantity``, in load order (several locations, both versions).

    Raises
    ------
    KeyError
        When no entry has this quantity.

    Examples
    --------
    >>> by_quantity("age_years")[["id", "text"]]
                            id  text
    0    table1.age_years.mean  60.5
    1      table1.age_years.sd  10.7
    2  abstract.age_years.mean  60.5
    3   results.age_years.mean  60.5
    4     results.age_years.sd  10.7
    """
    frame = load(directory)
    out = frame[frame["quantity"] == quantity]
    if out.empty:
        close = difflib.get_close_matches(quantity, frame["quantity"].unique(), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no published entry with quantity {quantity!r}{hint}")
    return out.reset_index(drop=True)


def ids(prefix: str = "", directory=None) -> list[str]:
    """Ids in load order, optionally only those starting with ``prefix`` (e.g. ``"table2."``).

    Examples
    --------
    >>> ids("table1.age")
    ['table1.age_years.mean', 'table1.age_years.sd']
    """
    return [i for i in load(directory)["id"] if i.startswith(prefix)]


# ----------------------------------------------------------------------------- comparing


def bound_decimals(text: str) -> tuple[int, int]:
    """The decimals the two bounds of a printed interval are read at.

    Each bound at the decimals it was printed with, except that a bound printed without
    decimals beside a bound with decimals is read at the other bound's: the paper prints
    "8.7–11" where every neighbouring interval carries one decimal, and 11 there is read as
    11.0, not as anything from 10.5 to 11.5. Every
    comparison with a printed interval reads its bounds this way: :func:`agrees`, the
    feasibility checks and the calibration (:mod:`analysis.synthesis`, :mod:`analysis.paper`,
    :mod:`analysis.calibration`) and the audit.

    Parameters
    ----------
    text : str
        An interval as printed (``"8.7–11"``, en dash).

    Returns
    -------
    tuple of int
        ``(lower_decimals, upper_decimals)``.

    Raises
    ------
    ValueError
        When ``text`` is not an interval as the paper prints one (:func:`parse_text`).

    Examples
    --------
    >>> bound_decimals("8.7–11"), bound_decimals("1.9–21.4"), bound_decimals("5–88,655")
    ((1, 1), (1, 1), (0, 0))
    >>> bound_decimals("1.7–348,100")   # 348,100 read as 348,100.0
    (1, 1)
    """
    parsed = parse_text(text)
    if "lower" not in parsed:
        raise ValueError(f"an interval needs exactly one en dash, got {text!r}")
    lower, upper = int(parsed["lower_decimals"]), int(parsed["upper_decimals"])
    return (lower or upper), (upper or lower)


def agrees(computed, entry_id: str, directory=None) -> bool:
    """Does a computed number print as the paper prints it?

    Parameters
    ----------
    computed : float or tuple of float
        A number, or a ``(lower, upper)`` pair for an interval entry.
    entry_id : str
        The published entry.

    Returns
    -------
    bool
        For a P value printed ``<x``: ``computed < x``. Otherwise ``computed`` rounded half up
        (decimal arithmetic, see :func:`~analysis.formatting.rounded`) to the entry's printed decimals equals the
        printed value; an interval compares each bound at the decimals :func:`bound_decimals`
        reads it at: its own, except that a bound printed without decimals beside one with
        decimals is read at the other's (``8.7–11`` compares the upper bound with 11.0, so
        10.96 and 11.04 agree, 10.6 does not). NaN never agrees.

    Raises
    ------
    PublishedError
        When an interval entry gets a single number or another entry gets a pair.

    Examples
    --------
    The paper prints a mean age of 60.5 and an interval of 1.9–21.4 months:

    >>> agrees(60.46, "table1.age_years.mean"), agrees(60.44, "table1.age_years.mean")
    (True, False)
    >>> agrees((1.94, 21.35), "figure1.os_median_dc.interval")
    True
    >>> agrees(0.0004, "figure1.logrank_dc_vs_pd.p")   # printed "<0.001"
    True

    The overall median OS interval is printed "8.7–11" beside one-decimal neighbours; its upper
    bound is read as 11.0:

    >>> agrees((8.7, 11.04), "results.os_median.interval")
    True
    >>> agrees((8.7, 10.6), "results.os_median.interval")   # would print 8.7–10.6
    False
    """
    found = entry(entry_id, directory)
    if found.kind == "interval":
        if not isinstance(computed, tuple | list) or len(computed) != 2:
            raise PublishedError(
                f"{found.file}: entry {entry_id!r}: field 'computed' = {computed!r}: "
                "an interval needs a (lower, upper) pair"
            )
        parsed = parse_text(found.text)
        lower_decimals, upper_decimals = bound_decimals(found.text)
        pairs = (
            (computed[0], parsed["lower"], lower_decimals),
            (computed[1], parsed["upper"], upper_decimals),
        )
        return all(_agrees_one(c, printed, d) for c, printed, d in pairs)
    if isinstance(computed, tuple | list):
        raise PublishedError(
            f"{found.file}: entry {entry_id!r}: field 'computed' = {computed!r}: "
            f"a {found.kind} entry needs a single number"
        )
    parsed = parse_text(found.text)
    if found.kind == "p" and found.relation == "<":
        return _finite(computed) and float(computed) < found.value
    return _agrees_one(computed, parsed["value"], found.decimals)


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _agrees_one(computed, printed: Decimal, decimals: int) -> bool:
    if not _finite(computed):
        return False
    return round_decimal(computed, decimals) == printed
