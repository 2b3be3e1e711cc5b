"""Privacy guard for cohorts that are not the book's synthetic one.

Tools:

:func:`find_identifiers` and :class:`IdentifierScanner`
    refuse columns that look like direct identifiers, by their name (names and initials,
    hospital, case, NHS or registration numbers, national identity numbers, passports, birth
    dates, addresses and postcodes, phone numbers, e-mail addresses, dates, device and web
    identifiers) and by their values: national identity numbers of several countries with
    their check digits where they have one (Korean resident registration number, US social
    security number, UK NHS number (modulus 11), Canadian social insurance number (Luhn),
    French NIR (key modulo 97), Chinese resident identity number (ISO 7064 MOD 11-2), Italian
    codice fiscale, Spanish DNI/NIE (modulo 23), German health-insurance number, Brazilian
    CPF (two modulo-11 digits), Indian Aadhaar (Verhoeff)), bank account numbers (IBAN, ISO
    7064 MOD 97-10 and the registry length of its country), UK postcodes (upper case, with
    their space) and US ZIP+4 codes (a bare five-digit ZIP code is not told from a number),
    IP addresses and web addresses (URLs), phone
    numbers in international (E.164) and national formats, e-mail addresses, calendar dates in
    any common format (``2023-01-15``, ``15.01.2023``, ``01/15/23``, ``20230115``,
    ``January 15, 2023``, ``15 Jan 2023``, ``2023년 1월 15일``), personal names in Latin script
    (``John Smith``, ``SMITH, John``, ``J. Smith``), Hangul or Chinese/Japanese text, and long
    digit runs that look like record numbers. A column of free text gets a warning: the guard
    cannot see every name or date in prose. :func:`analysis.cohort.load_cohort` runs the
    scanner on every cohort, chunk by chunk; the book's own passes.
:func:`mask`, :func:`printable` and :func:`printable_id`
    what messages show instead of a value: an identifier is masked (``85****-*******``), long
    or odd text is shortened and escaped. No refused value is ever printed or written.
:func:`suppress_small_counts`
    hides counts below a threshold (default 5) in tables computed from a user's cohort.
:func:`is_user_cohort`
    tells the book's cohort (``data/cohort.csv``) from any other.

The rules follow the HIPAA Safe Harbor list of direct identifiers (45 CFR 164.514(b)(2)),
the GDPR's notion of directly identifying data, and Korea's Personal Information Protection
Act, under which the resident registration number (주민등록번호) may not be processed for
research without a legal basis. They are heuristics: passing them does not make a data set
anonymous, and the data owner stays responsible.

Every pattern here is linear in the length of the text (bounded repetitions, anchored starts),
so a long free-text cell costs time in proportion to its length.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.problems import MAX_ROWS_SHOWN, Problem, RowRef
from analysis.verdicts import is_user_cohort

__all__ = [
    "find_identifiers",
    "IdentifierScanner",
    "identifier_kind",
    "mask",
    "printable",
    "printable_id",
    "suppress_small_counts",
    "suppress_if_user_cohort",
    "is_user_cohort",
    "SMALL_COUNT_THRESHOLD",
    "MAX_ID_LENGTH",
]

#: Default threshold below which counts are hidden in tables of a user's cohort.
SMALL_COUNT_THRESHOLD = 5

#: Longest ``patient_id`` accepted (a pseudonymous id is short: ``P001``).
MAX_ID_LENGTH = 64

# --------------------------------------------------------------------------------------------
# Column names
# --------------------------------------------------------------------------------------------
# (pattern on the normalised name, what it looks like). Normalised = lower case, runs of
# non-alphanumerics replaced by "_", padded with "_" so token matching is simple.
_NO = r"(no|nr|num|number|id|code)"
_NAME_RULES = [
    (
        r"_(first|last|given|family|sur|full|patient|pt|middle|maiden|fore|nick|christian)_?names?_"
        r"|_names?_|_surname_|_forename_|_initials?_|^_patient_$|^_(성명|이름|환자명)_",
        "a person's name",
    ),
    (
        r"_(mrn|mrno|medical_?record\w*|chart_?"
        + _NO
        + r"|record_?"
        + _NO
        + r"|hospital_?"
        + _NO
        + r"|hosp_?"
        + _NO
        + r"|reg(istration)?_?"
        + _NO
        + r"|case_?"
        + _NO
        + r"|nhs(_?"
        + _NO
        + r")?|chi_?"
        + _NO
        + r"|emr_?"
        + _NO
        + r"|ehr_?"
        + _NO
        + r"|admission_?"
        + _NO
        + r"|encounter_?"
        + _NO
        + r"|accession\w*|patient_?(no|nr|num|number)|등록번호|병록번호)_",
        "a hospital, case or registration number",
    ),
    (
        r"_(rrn|ssn|jumin|resident_?reg\w*|social_?security\w*|social_?insurance\w*|national_?"
        r"(id|no|number|insurance\w*)|nino|passport\w*|(driver\w*_)?licen[cs]e\w*|tax_?id\w*"
        r"|steuer\w*|codice_?fiscale|fiscal_?code|insee|personnummer|pesel|aadhaar|id_?card"
        r"|identity_?(no|number|card)|kvnr|versicherten\w*|주민\w*)_"
        r"|^_(sin|nir|dni|nie|bsn|cpr|nhi)(_" + _NO + r")?_$",
        "a national identity, passport or licence number",
    ),
    (
        r"_(insurance_?" + _NO + r"|insurance_?id\w*|medicare\w*|medicaid\w*|beneficiary\w*"
        r"|health_?plan\w*|policy_?" + _NO + r"|account\w*|acct\w*)_",
        "a health-plan or account number",
    ),
    (r"_(dob|birth\w*|born|date_?of_?birth|birthday|생년월일)_", "a birth date"),
    (
        r"_(address\w*|addr|street|city|town|zip|zip_?code|post_?code|postal\w*|county"
        r"|latitude|longitude|gps|주소)_",
        "an address",
    ),
    (
        r"_(phone\w*|telephone|mobile\w*|cellphone|cell_phone|연락처|전화\w*)_|^_(tel|fax|cell)_$",
        "a phone number",
    ),
    (r"_(e_?mail\w*)_|^_mail_$", "an e-mail address"),
    (
        r"_(url|ip_?addr\w*|device_?(id|serial\w*)|serial_?(no|number)|vehicle\w*"
        r"|licen[cs]e_?plate|photo\w*|biometric\w*|fingerprint\w*)_|^_ip_$",
        "a web, device or biometric identifier",
    ),
    (r"_(date|dt|dates|day|datetime|timestamp)_|_\w*_date_|_date_\w*_", "a calendar date"),
]
# more spellings: abbreviations, Vietnamese (diacritics folded), German, French
_NAME_RULES += [
    (
        r"_(ho_?(va_?)?ten|ten_?benh_?nhan|vorname|nachname|prenom|nom|next_?of_?kin"
        r"|emergency_?contact|guardian\w*|spouse\w*)_",
        "a person's name",
    ),
    (
        r"^_(hn|uhid)(_" + _NO + r")?_$|_(pt|ipd|opd|cr)_?(no|nr|num|number)_"
        r"|_(ma_?bn|ma_?benh_?nhan|so_?benh_?an|id_?(no|nr|num|number))_",
        "a hospital, case or registration number",
    ),
    # patient and medical-record numbers: pid, Pt# (# reads "number"), pat_id, MR No, MedRec,
    # Australian UR number, French IPP and numéro de dossier, German Patienten-/Fallnummer;
    # not PT or pt_inr (prothrombin time), nor a bare MR (mitral regurgitation)
    (
        r"^_(pid|ipp|urn)_$|_(pt|pat)_?id_|_(pat|mr|ur)_?(no|nr|num|number)_|_med_?rec\w*_"
        r"|_(n|no|num|numero)_?(de_)?dossier_|_(patienten|fall)_?(nummer|nr)_",
        "a hospital, case or registration number",
    ),
    (r"_(iban)_", "a health-plan or account number"),
    (r"_(aadhar\w*|uidai)_", "a national identity, passport or licence number"),
    (r"_(zip\w*)_", "an address"),
    # Spanish, Italian, Portuguese, Dutch
    (
        # "nombre" alone is Spanish for name but French for number ("nombre de cures"): only
        # the whole column name, or the Spanish phrases
        r"^_nombres?_$|_nombre_(del_)?paciente_|_nombre_completo_"
        r"|_(apellidos?|cognome|nome|sobrenome|voornaam|achternaam)_",
        "a person's name",
    ),
    (
        r"_(cccd|cmnd|so_?cmnd|bhyt)_|^_chi_$",
        "a national identity, passport or licence number",
    ),
    (r"_(d_o_b|ngay_?sinh|geburts\w*|yob|year_?of_?birth)_", "a birth date"),
    (r"_(dia_?chi|adresse|anschrift)_", "an address"),
    (r"_(sdt|so_?dien_?thoai|telefon\w*)_", "a phone number"),
    (r"_(website|web_?site|homepage)_", "a web, device or biometric identifier"),
]
_NAME_RULES = [(re.compile(p), what) for p, what in _NAME_RULES]


def _normalise(name: str) -> str:
    name = str(name).replace("#", " no ")  # Pt#, MR#: "#" reads "number"
    name = "".join(ch if "\uac00" <= ch <= "\ud7a3" else _fold(ch) for ch in str(name))
    return "_" + re.sub(r"[^0-9a-z\uac00-\ud7a3]+", "_", name.lower()).strip("_") + "_"


def _name_reason(name: str) -> str | None:
    norm = _normalise(name)
    if norm == "_patient_id_":
        return None
    for pattern, what in _NAME_RULES:
        if pattern.search(norm):
            return what
    return None


# --------------------------------------------------------------------------------------------
# Values: patterns (all linear: bounded repetitions, anchored starts) and check digits
# --------------------------------------------------------------------------------------------
_D = "[0-9]"
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MON = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)[0-9]{2}"
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember)\.?(?![a-zà-ÿ])"
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_RRN = re.compile(
    r"(?<![0-9])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[- ]?[1-8][0-9]{6}(?![0-9])"
)
_SSN = re.compile(
    r"(?<![0-9])(?!000|666|9[0-9]{2})[0-9]{3}([- ])(?!00)[0-9]{2}\1(?!0000)[0-9]{4}(?![0-9])"
)
_NHS = re.compile(r"(?<![0-9])[0-9]{3}([- ]?)[0-9]{3}\1[0-9]{4}(?![0-9])")
_SIN = re.compile(r"(?<![0-9])[0-9]{3}([- ]?)[0-9]{3}\1[0-9]{3}(?![0-9])")
_NIR = re.compile(
    r"(?<![0-9])[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[ABab]) ?[0-9]{3}"
    r" ?[0-9]{3} ?[0-9]{2}(?![0-9])"
)
_CN_ID = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
_CF_DIGIT = "[0-9LMNPQRSTUVlmnpqrstuv]"
_CODICE_FISCALE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{6}"
    + _CF_DIGIT
    + "{2}[ABCDEHLMPRSTabcdehlmprst]"
    + _CF_DIGIT
    + r"{2}[A-Za-z]"
    + _CF_DIGIT
    + r"{3}[A-Za-z](?![A-Za-z0-9])"
)
_DNI = re.compile(r"(?<![A-Za-z0-9])([XYZxyz]?)([0-9]{7,8})-?([A-Za-z])(?![A-Za-z0-9])")
_KVNR = re.compile(r"(?<![A-Za-z0-9])[A-Z][0-9]{9}(?![A-Za-z0-9])")
_PHONE = re.compile(
    # international: +CC or 00CC, then groups (E.164: at most 15 digits; checked below)
    r"(?<![\w+])(?:\+|00)[1-9][0-9]{0,3}(?:[ .\-/]?\(?[0-9]{1,6}\)?){1,6}(?![\w])"
    # national, trunk prefix 0 (UK, France, Germany, Korea, Japan, …): 0AA[A] sep groups
    r"|(?<![\w.])\(?0[0-9]{1,4}\)?[ .\-/][0-9]{2,8}(?:[ .\-/][0-9]{2,5}){0,3}(?![\w])"
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567
    r"|(?<![\w.])\(?[2-9][0-9]{2}\)?[ .-]?[0-9]{3}[ .-][0-9]{4}(?![\w])"
    # Korean mobile without separators
    r"|(?<![\d.])01[016789][0-9]{7,8}(?!\d)"
)
_DATE = re.compile(
    rf"(?<![0-9]){_YEAR}([-/.]){_MON}\1{_DAY}(?![0-9])"
    rf"|(?<![0-9.]){_DAY}([-/.]){_MON}\2{_YEAR}(?![0-9])"
    rf"|(?<![0-9.]){_MON}([-/.]){_DAY}\3{_YEAR}(?![0-9])"
    rf"|(?<![\w.]){_DAY}([-/.]){_DAY}\4[0-9]{{2}}(?![\w.])"
    rf"|(?<![0-9]){_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])"
    rf"|(?<![a-zà-ÿ]){_MONTH_NAME}[\s-]{{1,3}}{_DAY}(?:st|nd|rd|th)?,?[\s-]{{1,3}}{_YEAR}(?![0-9])"
    rf"|(?<![0-9]){_DAY}(?:st|nd|rd|th)?\.?[\s-]{{1,3}}{_MONTH_NAME}[\s,-]{{1,3}}(?:{_YEAR}|[0-9]{{2}})(?![0-9])"
    rf"|(?<![0-9]){_YEAR}[\s-]{{1,3}}{_MONTH_NAME}[\s-]{{1,3}}{_DAY}(?![0-9])"
    r"|(?:19|20)[0-9]{2}\s{0,3}[년年]\s{0,3}[0-9]{1,2}\s{0,3}[월月]\s{0,3}[0-9]{1,2}\s{0,3}[일日]",
    re.IGNORECASE,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_ID_DIGITS = re.compile(r"[0-9]{7,}")
_TEXT_DIGITS = re.compile(r"(?<![0-9.])[0-9]{9,}")

# Personal names in Latin script, matched against a whole cell.
_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_WORD = rf"(?:Mc|Mac|O['’])?[{_UP}][{_LOW}]+(?:[-'’][{_UP}][{_LOW}]+)?"
_CAPS = rf"[{_UP}]{{2,}}(?:[-'’][{_UP}]{{2,}})?"
_PARTICLE = r"(?:van|von|de|da|di|du|del|della|der|den|la|le|bin|ibn|al|dos|das|y)"
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mme|Mlle|Herr|Frau|Sr|Sra)\.?\s+)?"
_INITIAL = rf"[{_UP}]\."
_NAME = re.compile(
    rf"{_TITLE}(?:{_WORD}|{_INITIAL})(?:\s+(?:{_PARTICLE}\s+)?(?:{_WORD}|{_INITIAL})){{0,2}}"
    rf"\s+(?:{_PARTICLE}\s+)?{_WORD}"  # John Smith, Mary Ann Jones, J. Smith, Ludwig van Beethoven
    rf"|(?:{_WORD}|{_CAPS}),\s*(?:{_WORD}|{_INITIAL})(?:\s+(?:{_WORD}|{_INITIAL}))?"  # SMITH, John
)
# In patient_id only (an id is never a name): SMITH John, John SMITH
_NAME_IN_ID = re.compile(rf"{_CAPS}\s+{_WORD}|{_WORD}\s+{_CAPS}")
#: Words that make a capitalised phrase a label (a site, an arm, a category), not a name.
_NOT_NAME_WORDS = frozenset(
    """hospital medical center centre university clinic national general institute cancer
    liver unit department dept group arm trial study site ward regional memorial health care
    foundation college school city county state province district street road saint st
    stable disease partial complete response progressive progression lost follow up alive
    dead death died unknown none yes no male female control treatment baseline screening visit
    week weeks month months year years day days left right lobe segment portal vein tumor
    tumour grade stage class type other not applicable missing pending normal high low
    severe mild moderate child pugh sorafenib lenvatinib atezolizumab bevacizumab alone plus
    combined therapy chemotherapy infusion new lesion lesions first second third line before
    after prior post pre no yes true false north south east west upper lower central data
    sample samples batch lab laboratory test negative positive cohort hcc haic tace ecf
    cisplatin epirubicin fluorouracil dose doses cycle cycles""".split()
)

_RRN_LABEL = "resident registration numbers (######-#######)"
# (key, label, pattern, check or None) in order of precedence: a cell counts once, as the
# first kind it matches.
_DETECTORS: list[tuple[str, str, re.Pattern, Callable[[re.Match], bool] | None]] = []


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def _nhs_ok(m: re.Match) -> bool:
    d = [int(c) for c in _digits(m.group(0))]
    check = 11 - sum(w * x for w, x in zip(range(10, 1, -1), d[:9], strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == d[9] and len(set(d)) > 1


def _luhn_ok(m: re.Match) -> bool:
    d = [int(c) for c in _digits(m.group(0))]
    total = 0
    for i, x in enumerate(reversed(d)):
        if i % 2:
            x *= 2
            x = x - 9 if x > 9 else x
        total += x
    return total % 10 == 0 and len(set(d)) > 1


def _nir_ok(m: re.Match) -> bool:
    text = re.sub(r"\s", "", m.group(0)).upper()
    body, key = text[:13], int(text[13:])
    body = body.replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == key


def _cn_id_ok(m: re.Match) -> bool:
    text = m.group(0).upper()
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(text[:17], weights, strict=True))
    return "10X98765432"[total % 11] == text[17]


def _dni_ok(m: re.Match) -> bool:
    prefix, number, letter = m.group(1).upper(), m.group(2), m.group(3).upper()
    if prefix:
        if len(number) != 7:
            return False
        number = str("XYZ".index(prefix)) + number
    elif len(number) != 8:
        return False
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == letter


def _kvnr_ok(m: re.Match) -> bool:
    text = m.group(0)
    digits = f"{ord(text[0]) - 64:02d}" + text[1:9]
    total = 0
    for i, c in enumerate(digits):
        x = int(c) * (1 if i % 2 == 0 else 2)
        total += x // 10 + x % 10
    return total % 10 == int(text[9])


# IBAN (ISO 13616): country, two check digits, BBAN; printed in groups of four or not.
# Lengths by country from the SWIFT IBAN registry; the check is ISO 7064 MOD 97-10.
_IBAN_LENGTH = {
    **dict.fromkeys("NO".split(), 15),
    **dict.fromkeys("BE".split(), 16),
    **dict.fromkeys("DK FI FK FO GL NL SD".split(), 18),
    **dict.fromkeys("MK SI".split(), 19),
    **dict.fromkeys("AT BA EE KZ LT LU MN XK".split(), 20),
    **dict.fromkeys("CH HR LI LV".split(), 21),
    **dict.fromkeys("BG BH CR DE GB GE IE ME RS VA".split(), 22),
    **dict.fromkeys("AE GI IL IQ OM SO TL".split(), 23),
    **dict.fromkeys("AD CZ ES MD PK RO SA SE SK TN VG".split(), 24),
    **dict.fromkeys("LY PT ST".split(), 25),
    **dict.fromkeys("IS TR".split(), 26),
    **dict.fromkeys("BI DJ FR GR IT MC MR SM".split(), 27),
    **dict.fromkeys("AL AZ BY CY DO GT HN HU LB NI PL SV".split(), 28),
    **dict.fromkeys("BR EG PS QA UA".split(), 29),
    **dict.fromkeys("JO KW MU YE".split(), 30),
    **dict.fromkeys("MT SC".split(), 31),
    **dict.fromkeys("LC".split(), 32),
    **dict.fromkeys("RU".split(), 33),
}
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)


def _iban_ok(m: re.Match) -> bool:
    """Known country, its registry length ending at a group boundary, MOD 97-10 remainder 1."""
    text = m.group(0).upper()
    length = _IBAN_LENGTH.get(text[:2])
    compact = text.replace(" ", "")
    if length is None or len(compact) < length:
        return False
    if len(compact) > length:  # the match ran on into a following word: cut at a space
        seen = 0
        for i, ch in enumerate(text):
            seen += ch != " "
            if seen == length:
                if text[i + 1] != " ":
                    return False
                break
    iban = compact[:length]
    return int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1


# UK postcodes (Royal Mail's format, upper case, one space): a postcode area of the 121 (and
# the Crown dependencies'), a district, then the inward code, whose letters are never
# C, I, K, M, O or V; and the Girobank's GIR 0AA. Letters alone are no area (C3 4TH, A1 1AA).
_UK_AREAS = (
    "AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY"
    " EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE"
    " LL LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL"
    " SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE"
    " B E G L M N S W"
).split()
_UK_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:" + "|".join(_UK_AREAS) + r")[0-9](?:[0-9]|[A-HJKMNP-Y])?"
    r" [0-9][ABD-HJLNP-UW-Z]{2}|GIR 0AA)(?![A-Za-z0-9])"
)
# US ZIP+4 (a bare five-digit ZIP code is a number like any laboratory value: not flagged)
_ZIP4 = re.compile(r"(?<![0-9.\-])(?!00000)[0-9]{5}-[0-9]{4}(?![0-9\-]|\.[0-9])")
# Indian Aadhaar: 12 digits, the first 2-9, often 4-4-4; the last a Verhoeff check digit
_AADHAAR = re.compile(r"(?<![0-9.])[2-9][0-9]{3}([ -]?)[0-9]{4}\1[0-9]{4}(?![0-9])")
# Verhoeff's tables: multiplication in the dihedral group D5, and the position permutations
_VERHOEFF_D = [
    [int(c) for c in row]
    for row in "0123456789 1234067895 2340178956 3401289567 4012395678 5987604321 6598710432"
    " 7659821043 8765932104 9876543210".split()
]
_VERHOEFF_P = [
    [int(c) for c in row]
    for row in "0123456789 1576283094 5803796142 8916043527 9453126870 4286573901 2793806415"
    " 7046913258".split()
]


_AADHAAR_NAMED = re.compile(r"(?i)(?:aadhaa?r|uidai|\buid)\W{0,5}$")


def _aadhaar_ok(m: re.Match) -> bool:
    """An Aadhaar number: the whole cell, or named just before it ("Aadhaar: …"), and Verhoeff's
    dihedral check (Verhoeff 1969): the total over the digits must be 0. Three 4-digit numbers
    inside other text (a list of doses, "2000 1500 3000") pass the check one time in ten, so
    they count only when the cell is nothing else or names the number."""
    whole = not m.string[: m.start()].strip() and not m.string[m.end() :].strip()
    if not (whole or _AADHAAR_NAMED.search(m.string[: m.start()])):
        return False
    c = 0
    for i, ch in enumerate(reversed(_digits(m.group(0)))):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w.])")
_URL = re.compile(r"(?<![\w.-])(?:(?:https?|ftp)://|www\.)[\w-]{1,63}", re.IGNORECASE)
_CPF = re.compile(r"(?<![0-9.])[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}(?![0-9])")


def _cpf_ok(m: re.Match) -> bool:
    """Brazilian CPF: two modulo-11 check digits."""
    d = [int(c) for c in _digits(m.group(0))]
    if len(set(d)) == 1:
        return False
    first = sum(x * w for x, w in zip(d[:9], range(10, 1, -1), strict=True)) * 10 % 11 % 10
    second = sum(x * w for x, w in zip(d[:10], range(11, 1, -1), strict=True)) * 10 % 11 % 10
    return first == d[9] and second == d[10]


def _phone_ok(m: re.Match) -> bool:
    n = len(_digits(m.group(0)))
    return 8 <= n <= 15


_DETECTORS = [
    ("email", "e-mail addresses", _EMAIL, None),
    ("iban", "bank account numbers (IBAN)", _IBAN, _iban_ok),
    ("rrn", _RRN_LABEL, _RRN, None),
    ("ssn", "US social security numbers", _SSN, None),
    ("cn-id", "Chinese resident identity numbers", _CN_ID, _cn_id_ok),
    ("nir", "French social security numbers (NIR)", _NIR, _nir_ok),
    ("nhs", "UK NHS numbers", _NHS, _nhs_ok),
    ("sin", "Canadian social insurance numbers", _SIN, _luhn_ok),
    ("codice-fiscale", "Italian tax codes (codice fiscale)", _CODICE_FISCALE, None),
    ("dni", "Spanish identity numbers (DNI/NIE)", _DNI, _dni_ok),
    ("kvnr", "German health-insurance numbers", _KVNR, _kvnr_ok),
    ("cpf", "Brazilian CPF numbers", _CPF, _cpf_ok),
    ("aadhaar", "Indian Aadhaar numbers", _AADHAAR, _aadhaar_ok),
    ("uk-postcode", "UK postcodes", _UK_POSTCODE, None),
    ("zip4", "US ZIP+4 codes", _ZIP4, None),
    ("url", "web addresses (URLs)", _URL, None),
    ("ip", "IP addresses", _IPV4, None),
    ("date", "exact calendar dates", _DATE, None),
    ("phone", "phone numbers", _PHONE, _phone_ok),
    ("hangul", "Korean (Hangul) text, which may be names", _HANGUL, None),
    ("cjk", "Chinese or Japanese characters, which may be names", _CJK, None),
]
_LABEL = {key: label for key, label, _, _ in _DETECTORS}
_LABEL["name"] = "personal names"
_LABEL["id-digits"] = "hospital registration numbers (7 or more digits)"
_LABEL["digits"] = "long digit runs (record, account or phone numbers)"

# A cheap pre-filter: a cell can only hold one of the above if it contains '@', a character
# outside ASCII, a run of 7 digits, digits joined by a separator, six letters and a digit (a
# codice fiscale), two letters, two digits and more (an IBAN), a letter before " 9AA" (a UK
# postcode), a month name next to digits, or letters separated by space, comma or dot;
# most pseudonymous ids (P001, SYN0042) and plain numbers fail every branch at once.
_CANDIDATE = re.compile(
    r"@|://|www\.|[^\x00-\x7f]|[0-9]{7}|[0-9][-/. ()]{1,3}[0-9]|[A-Za-z]{6}[0-9]"
    r"|[A-Za-z]{2}[0-9]{2} ?[A-Za-z0-9]{4}|[A-Za-z] [0-9][A-Za-z]{2}"
    r"|[0-9][\s.,-]{1,3}[A-Za-z]{3}|[A-Za-z]{3}\.?[\s-]{1,3}[0-9]"
    r"|[A-Za-z][\s,]+[A-Za-z]|[A-Za-z]\.\s?[A-Za-z]"
)


# Letters and digits only (most pseudonymous ids): only runs of digits, a codice fiscale or
# an IBAN (15 or more characters) can be an identifier.
_ALNUM_CANDIDATE = re.compile(r"[0-9]{7}|[A-Za-z]{6}[0-9]|[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11}")


def candidate_mask(values) -> np.ndarray:
    """Which cells might hold an identifier (a superset; :func:`identifier_kind` decides).

    Linear and cheap: an ASCII letters-and-digits cell is only searched for a seven-digit run,
    six letters and a digit, or the start of an IBAN; any other cell for the pre-filter of every rule.
    """
    out = np.zeros(len(values), dtype=bool)
    for j, text in enumerate(values):
        if text.isascii() and text.isalnum():
            out[j] = len(text) >= 7 and _ALNUM_CANDIDATE.search(text) is not None
        else:
            out[j] = _CANDIDATE.search(text) is not None
    return out


# In patient_id only: words of letters, in any script, and nothing else (john smith,
# NGUYEN VAN AN, Иван Петров)
_L = r"[^\W\d_]"
_WORDS_IN_ID = re.compile(rf"{_L}{{2,}}(?:[-'’]{_L}+)?(?:(?:\s*,\s*|\s+){_L}+(?:[-'’]{_L}+)?)+")
# A UUID (8-4-4-4-12 hex digits) is a pseudonym by construction, whatever digits it holds.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _fold(text: str) -> str:
    """``text`` without diacritics (Nguyễn Văn Đức -> Nguyen Van Duc), so any Latin-script
    name matches the ASCII patterns."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _looks_like_name(text: str, *, in_id: bool = False) -> bool:
    if not text.isascii():
        text = _fold(text)
    if not (
        _NAME.fullmatch(text)
        or (in_id and (_NAME_IN_ID.fullmatch(text) or _WORDS_IN_ID.fullmatch(text)))
    ):
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    return not any(w in _NOT_NAME_WORDS for w in words)


def identifier_kind(text: str, *, in_id: bool = False, names: bool = True) -> str | None:
    """The kind of direct identifier ``text`` contains, or None.

    Parameters
    ----------
    text : str
        One cell.
    in_id : bool
        The cell is a ``patient_id``: seven or more consecutive digits count (a hospital
        registration number) and ``SMITH John`` is read as a name.
    names : bool
        Also look for a personal name (the whole cell).

    Returns
    -------
    str or None
        A key such as ``"rrn"``, ``"nhs"``, ``"phone"``, ``"date"``, ``"name"``,
        ``"id-digits"``; ``describe()`` turns it into words.

    Examples
    --------
    >>> identifier_kind("850101-1234567")
    'rrn'
    >>> identifier_kind("943 476 5919")  # a valid NHS number (modulus 11)
    'nhs'
    >>> identifier_kind("9434765918")  # check digit wrong: only a long digit run
    'digits'
    >>> identifier_kind("January 15, 2023"), identifier_kind("SMITH, John")
    ('date', 'name')
    >>> identifier_kind("GB82 WEST 1234 5698 7654 32"), identifier_kind("GB83 WEST 1234 5698 7654 32")
    ('iban', None)
    >>> identifier_kind("SW1A 1AA"), identifier_kind("12345-6789"), identifier_kind("12345")
    ('uk-postcode', 'zip4', None)
    >>> [identifier_kind(v) for v in ("Vp3", "CR", "none", "grade1-2", "12.5", "P001")]
    [None, None, None, None, None, None]
    """
    if not isinstance(text, str) or not text or not _CANDIDATE.search(text):
        return None
    if _UUID.fullmatch(text.strip()):
        return None
    for key, _, pattern, check in _DETECTORS:
        for m in pattern.finditer(text):
            if check is None or check(m):
                return key
    if names and _looks_like_name(text.strip(), in_id=in_id):
        return "name"
    if in_id and _ID_DIGITS.search(text):
        return "id-digits"
    if not in_id and _TEXT_DIGITS.search(text):
        return "digits"
    return None


def describe(kind: str) -> str:
    """Words for a key of :func:`identifier_kind` (``"rrn"`` → resident registration numbers)."""
    return _LABEL.get(kind, kind)


# --------------------------------------------------------------------------------------------
# What messages may show
# --------------------------------------------------------------------------------------------
# control characters, and invisible format characters (zero-width, bidirectional overrides)
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]"
)


def mask(value: str, keep: int = 2, limit: int = 24) -> str:
    """``value`` with every letter and digit after the first ``keep`` replaced by ``*``.

    Separators stay, so the shape shows (``85****-*******``); short values keep fewer
    characters (one below eight letters and digits, none below four); the text is cut at
    ``limit`` characters, control characters become ``?``.

    Examples
    --------
    >>> mask("850101-1234567")
    '85****-*******'
    >>> mask("John Smith"), mask("=1+1")
    ('Jo** *****', '=*+*')
    >>> mask("x" * 100)
    'xx**********************… (100 characters)'
    """
    out = []
    seen = 0
    alnum = sum(ch.isalnum() for ch in str(value)[:limit])
    keep = min(keep, 2 if alnum >= 8 else 1 if alnum >= 4 else 0)
    for ch in str(value)[:limit]:
        if ch.isalnum():
            out.append(ch if seen < keep else "*")
            seen += 1
        elif _CONTROL.match(ch):
            out.append("?")
        else:
            out.append(ch)
    text = "".join(out)
    if len(str(value)) > limit:
        text += f"… ({len(str(value))} characters)"
    return text


def _id_format_problem(value: str) -> str | None:
    """Why ``value`` is not fit to be a ``patient_id`` (format only), or None."""
    if len(value) > MAX_ID_LENGTH:
        return "length"
    if _CONTROL.search(value):
        return "control"
    if value[:1] in "=+-@":
        return "formula"
    return None


def printable_id(value) -> str | None:
    """A ``patient_id`` fit to print in a message: masked when it looks like an identifier, is
    too long, holds control characters or starts like a spreadsheet formula.

    Examples
    --------
    >>> printable_id("P001"), printable_id("850101-1234567"), printable_id("=HYPERLINK(1)")
    ('P001', '85****-*******', '=HY*******(*)')
    """
    if value is None:
        return None
    text = str(value)
    if not text:
        return None
    if _id_format_problem(text) or identifier_kind(text, in_id=True):
        return mask(text)
    return text


def printable(value, limit: int = 40) -> str:
    """An offending cell as a message shows it: quoted text, masked when it looks like an
    identifier, shortened when long.

    Examples
    --------
    >>> printable("high"), printable("010-1234-5678")
    ("'high'", "'01*-****-****'")
    """
    if not isinstance(value, str):
        return str(value)
    if identifier_kind(value) or _CONTROL.search(value) and len(value) > limit:
        return repr(mask(value))
    if len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value)} characters)"
    return repr(value)


# --------------------------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------------------------
_ADVICE = (
    "remove the column or replace it: pseudonymous ids (P001, …), ages in years, "
    "times in months from the start of HAIC"
)
_FREE_TEXT_WORDS = 5
_FREE_TEXT_CHARS = 60
#: A name-like value repeated in more rows than this is a label (a site, an arm), not a name.
_NAME_REPEATS = 3


class IdentifierScanner:
    """The identifier guard, fed a cohort chunk by chunk.

    Parameters
    ----------
    columns : iterable of str
        The cohort's header; names that look like identifiers are refused at once (and their
        values not scanned).

    Use :meth:`scan` for the cells of each chunk, then :meth:`problems`.
    Kinds of column: ``"id"`` (``patient_id``: every rule, seven-digit runs, names in any
    form), ``"text"`` (free columns: every rule, nine-digit runs, whole-cell names that repeat
    at most three times, free-text warning), ``"value"`` (cells of number or category columns
    that failed their own check or are long: every rule but names).

    Examples
    --------
    A column named like an identifier is refused from the header; a resident registration
    number in ``patient_id`` is found in the cells (and shown masked):

    >>> from analysis.problems import RowRef
    >>> scanner = IdentifierScanner(["patient_id", "name", "age_years"])
    >>> scanner.refused
    {'name'}
    >>> cells = np.array(["P001", "850101-1234567"], dtype=object)
    >>> scanner.scan("patient_id", "id", cells, np.arange(2), lambda i, shown: RowRef(i + 2, None, shown))
    >>> [(p.column, p.rows[0].value if p.rows else None) for p in scanner.problems()]
    [('name', None), ('patient_id', "'85****-*******'")]
    """

    def __init__(self, columns: Iterable[str]):
        self.columns = [str(c) for c in columns]
        self.by_name: list[Problem] = []
        self.refused: set[str] = set()
        for name in self.columns:
            reason = _name_reason(name)
            kind = identifier_kind(name, names=False)
            if kind and not reason:
                # the header cell itself holds an identifier: refuse it without printing it
                self.refused.add(name)
                self.by_name.append(
                    Problem(
                        mask(name),
                        f"the column name itself contains {describe(kind)}; refused",
                        "identifier",
                        hint="rename the column; the name is masked here",
                    )
                )
                continue
            if reason:
                self.refused.add(name)
                self.by_name.append(
                    Problem(
                        name,
                        f"looks like a direct identifier ({reason}, by its name); refused",
                        "identifier",
                        hint=_ADVICE,
                    )
                )
        # column -> {kind: count}, first refs, total
        self._hits: dict[str, dict] = {}
        self._names: dict[str, Counter] = {}
        self._name_refs: dict[str, dict[str, list[RowRef]]] = {}
        self._free_text: dict[str, int] = {}

    def _record(self, column: str, kind: str, ref: RowRef) -> None:
        entry = self._hits.setdefault(column, {"kinds": {}, "refs": [], "count": 0})
        entry["kinds"][kind] = entry["kinds"].get(kind, 0) + 1
        entry["count"] += 1
        if len(entry["refs"]) < MAX_ROWS_SHOWN:
            entry["refs"].append(ref)

    def scan(
        self,
        column: str,
        kind: str,
        values: np.ndarray,
        positions: np.ndarray,
        make_ref: Callable[[int, str], RowRef],
    ) -> None:
        """Scan ``values`` (non-missing ``str`` cells) of ``column``.

        ``positions`` are the cells' row positions in the chunk; ``make_ref(position, shown)``
        builds the row reference with a value already masked.
        """
        if column in self.refused or len(values) == 0:
            return
        candidates = candidate_mask(values)
        in_id = kind == "id"
        for j in np.flatnonzero(candidates):
            text = values[j]
            found = identifier_kind(text, in_id=in_id, names=False)
            if found is None and kind in ("id", "text") and _looks_like_name(text, in_id=in_id):
                if in_id:
                    found = "name"
                else:
                    self._names.setdefault(column, Counter())[text] += 1
                    refs = self._name_refs.setdefault(column, {})
                    if text not in refs and len(refs) < 1000:
                        refs[text] = make_ref(int(positions[j]), repr(mask(text)))
                    continue
            if found is not None:
                self._record(column, found, make_ref(int(positions[j]), repr(mask(text))))
        if kind == "text":
            series = pd.Series(values, dtype=object)
            lengths = series.str.len().to_numpy()
            words = series.str.count(r"\s+").to_numpy() + 1
            wide = int(np.sum((lengths >= _FREE_TEXT_CHARS) | (words >= _FREE_TEXT_WORDS)))
            if wide:
                self._free_text[column] = self._free_text.get(column, 0) + wide

    def problems(self) -> list[Problem]:
        """Every identifier problem found, then the free-text warnings, in column order."""
        for column, counts in self._names.items():
            refs = self._name_refs.get(column, {})
            for text, n in counts.items():
                if n <= _NAME_REPEATS:
                    self._record(column, "name", refs[text])
                    self._hits[column]["kinds"]["name"] += n - 1
                    self._hits[column]["count"] += n - 1
        out = list(self.by_name)
        order = {c: i for i, c in enumerate(self.columns)}
        for column in sorted(self._hits, key=lambda c: order.get(c, len(order))):
            entry = self._hits[column]
            kinds = sorted(entry["kinds"], key=_KIND_ORDER.index)
            what = ", ".join(describe(k) for k in kinds)
            out.append(
                Problem(
                    column,
                    f"looks like a direct identifier (its values contain {what}); refused",
                    "identifier",
                    tuple(entry["refs"]),
                    hint=_ADVICE,
                    count=entry["count"],
                )
            )
        for column in sorted(self._free_text, key=lambda c: order.get(c, len(order))):
            if column in self._hits:
                continue
            n = self._free_text[column]
            out.append(
                Problem(
                    column,
                    f"looks like free text ({n} cell{'s' if n != 1 else ''} of "
                    f"{_FREE_TEXT_WORDS}+ words or {_FREE_TEXT_CHARS}+ characters); the "
                    "privacy guard cannot find every name, date or place in prose",
                    "free-text",
                    hint="remove the column unless the analysis needs it; the book does not read it",
                    severity="warning",
                )
            )
        return out


_KIND_ORDER = [k for k, _, _, _ in _DETECTORS] + ["name", "id-digits", "digits"]


def find_identifiers(df: pd.DataFrame) -> list[Problem]:
    """Columns of ``df`` that look like direct identifiers, one :class:`~analysis.problems.Problem` per column.

    Parameters
    ----------
    df : pandas.DataFrame
        The cohort as read (strings), before or after schema validation.

    Returns
    -------
    list of Problem
        Code ``"identifier"``; the rule says what the column looks like and why (its name or
        its values); value matches list the first rows by line, with masked values, never the
        values themselves. Free-text columns add a warning (code ``"free-text"``).

    Notes
    -----
    Column names are matched after lower-casing and splitting on non-alphanumerics, so
    ``Patient Name``, ``patient_name`` and ``NAME`` are all caught while ``patient_id`` is the
    one allowed identifier. Every other column's values are scanned for the identifiers listed
    in the module docstring; ``patient_id`` values are also refused when they hold seven or
    more consecutive digits (a hospital registration number) or a name.
    :func:`analysis.cohort.load_cohort` uses :class:`IdentifierScanner` directly, chunk by
    chunk, and scans number and category columns only where their values fail their checks.

    Examples
    --------
    >>> frame = pd.DataFrame({"patient_id": ["P001", "P002"], "note": ["", "0151 2345 6789"]})
    >>> [problem] = find_identifiers(frame)
    >>> print(problem.rule)
    looks like a direct identifier (its values contain phone numbers); refused
    >>> print(problem.rows[0])
    row 1 (patient_id P002): '01** **** ****'
    """
    scanner = IdentifierScanner(df.columns)
    lines = df.attrs.get("line_numbers")
    if lines is not None and len(lines) != len(df):
        lines = None
    ids = list(df["patient_id"]) if "patient_id" in df.columns else [None] * len(df)

    def make_ref(i: int, shown: str | None, column: str) -> RowRef:
        line = lines[i] if lines is not None else None
        pid = None if column == "patient_id" else printable_id(ids[i])
        return RowRef(line, pid if isinstance(ids[i], str) else None, shown, position=i)

    for name in df.columns:
        cells = [(i, v) for i, v in enumerate(df[name]) if isinstance(v, str) and v.strip()]
        if not cells:
            continue
        positions = np.array([i for i, _ in cells], dtype=np.int64)
        values = np.array([v.strip() for _, v in cells], dtype=object)
        kind = "id" if _normalise(name) == "_patient_id_" else "text"
        scanner.scan(
            str(name), kind, values, positions, lambda i, s, c=str(name): make_ref(i, s, c)
        )
    return scanner.problems()


_COUNT_CELL = re.compile(r"^\s*(\d+)(\s*\(.*\))?\s*$")


def suppress_small_counts(
    table: pd.DataFrame,
    threshold: int = SMALL_COUNT_THRESHOLD,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Hide counts from 1 to ``threshold - 1`` (and their percentages) in a table.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of counts: integer columns, or text cells such as ``"3 (3.7)"`` (n with a
        percentage).
    threshold : int
        Smallest count shown; smaller non-zero counts become ``"<threshold"``. Zero is shown
        (it discloses nobody). ``threshold <= 1`` returns the table unchanged.
    columns : list of str, optional
        Which columns hold counts. Default: integer columns, and text columns whose cells are
        all counts or ``n (%)``.

    Returns
    -------
    pandas.DataFrame
        A copy; changed columns become text. ``attrs["suppressed"]`` counts the hidden cells.

    Notes
    -----
    This is primary suppression only (as in many registries' publication rules): a hidden cell
    may still be recoverable from a printed total. Chapters that show totals say so.

    Examples
    --------
    >>> table = pd.DataFrame({"group": ["a", "b", "c"], "n": [12, 3, 0]})
    >>> shown = suppress_small_counts(table)
    >>> shown
      group   n
    0     a  12
    1     b  <5
    2     c   0
    >>> shown.attrs["suppressed"]
    1
    >>> rates = pd.DataFrame({"response": ["CR", "PR"], "n (%)": ["3 (3.7)", "40 (48.8)"]})
    >>> suppress_small_counts(rates)["n (%)"].tolist()   # the percentage goes with the count
    ['<5', '40 (48.8)']
    """
    out = table.copy()
    out.attrs["suppressed"] = 0
    if threshold <= 1:
        return out
    if columns is None:
        columns = [c for c in out.columns if _is_count_column(out[c])]
    mark = f"<{threshold}"
    hidden = 0
    for c in columns:
        new = []
        for v in out[c]:
            n = _count_of(v)
            if n is not None and 0 < n < threshold:
                new.append(mark)
                hidden += 1
            else:
                new.append(v)
        out[c] = pd.Series(new, index=out.index, dtype=object)
    out.attrs["suppressed"] = hidden
    return out


def _count_of(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) or (hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu"):
        return int(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        m = _COUNT_CELL.match(v)
        if m:
            return int(m.group(1))
    return None


def _is_count_column(s: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(s):
        return False
    if pd.api.types.is_integer_dtype(s):
        return True
    if s.dtype == object:
        cells = [v for v in s if isinstance(v, str) and v.strip()]
        return bool(cells) and all(_COUNT_CELL.match(v) for v in cells)
    return False


def suppress_if_user_cohort(
    table: pd.DataFrame,
    cohort_path: Path | str | None,
    threshold: int = SMALL_COUNT_THRESHOLD,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """:func:`suppress_small_counts` for a user's cohort; the book's own tables are unchanged.

    Chapters call this on every count table with their ``cohort_path`` parameter (and,
    optionally, a ``min_cell_count`` parameter passed as ``threshold``).

    Examples
    --------
    The book's own cohort is shown whole; any other cohort has its counts of 1–4 hidden:

    >>> from analysis import COHORT_CSV
    >>> table = pd.DataFrame({"group": ["a", "b", "c"], "n": [12, 3, 0]})
    >>> suppress_if_user_cohort(table, COHORT_CSV)["n"].tolist()
    [12, 3, 0]
    >>> suppress_if_user_cohort(table, "my_cohort.csv")["n"].tolist()
    [12, '<5', 0]
    """
    if not is_user_cohort(cohort_path):
        return table
    return suppress_small_counts(table, threshold=threshold, columns=columns)
