"""Privacy guard for cohorts that are not the book's synthetic one.

Tools:

:func:`find_identifiers` and :class:`IdentifierScanner`
    refuse columns that look like direct identifiers, by their name (names and initials,
    hospital, case, NHS or registration numbers, national identity numbers, passports, birth
    dates, addresses and postcodes, phone numbers, e-mail addresses, dates, device and web
    identifiers; in English, Korean, Vietnamese and the major European languages, and for the
    most common of them also in Russian, Arabic, Chinese and Japanese: ``ФИО``, ``Fecha de
    nacimiento``, ``NRIC``, ``CURP``, ``Nº historia``, a table of patterns per kind) and by their
    values: national identity numbers of several countries with their check digits where they
    have one (Korean resident registration number, US social security number, UK NHS number
    (modulus 11), Canadian social insurance number (Luhn), French NIR (key modulo 97), Chinese
    resident identity number (ISO 7064 MOD 11-2), Italian codice fiscale, Spanish DNI/NIE
    (modulo 23), German health-insurance number, Brazilian CPF (two modulo-11 digits), Indian
    Aadhaar (Verhoeff), Vietnamese citizen identity number (CCCD: a province code, the century
    and sex, the birth year, six digits), Singapore NRIC/FIN (check letter), Malaysian MyKad (its birth date and
    6-2-4 grouping), Hong Kong identity card (check digit, or any digit in its parentheses:
    ``A123456(7)``), Chilean RUT (modulo 11), Mexican CURP (its 18-character structure), UK
    National Insurance number (``AB 12 34 56 C``), Nordic personal identity numbers (a birth date
    and four characters: Danish CPR ``010185-1233``, Swedish ``850101-1236``, Finnish
    ``131052-308T``), Irish PPS number (check letter modulo 23), Indian PAN (``ABCPE1234F``), US
    Medicare beneficiary identifier (``1EG4-TE5-MK73``), Belgian national register number
    (``85.07.30-033.28``, modulo 97), Swiss AHV number (``756.1234.5678.97``, EAN-13 check
    digit), Thai identity number (``1-2345-67890-12-1``, modulo 11), also as a ``patient_id``;
    a whole cell of nine or more digits printed in groups, as identity cards print them
    (``1234 5678 9012``, ``2123 45670 1``), in a column the book does not read), bank
    account numbers (IBAN, ISO 7064 MOD 97-10 and the registry length of its country), UK
    postcodes (upper case, with their space) and US ZIP+4 codes (a bare five-digit ZIP code is
    not told from a number), street addresses anywhere in a cell (a house number and a street
    type: ``221B Baker Street``, ``123 Main St.``, ``12 rue de la Paix``, ``Calle Mayor 5``,
    ``Via Roma 12``, ``Jalan Ampang 12``, ``12 Jalan Ampang``, ``Hauptstraße 5``, ``Keizersgracht 12``,
    ``Teheran-ro 123``, ``1-2-3 Nishi-Shinjuku, Shinjuku-ku``, ``88 Renmin Lu``, ``12 đường
    Lê Lợi``, ``hẻm 34``, ``Phường 5``, ``PO Box 123``; not a street's name without a number, nor
    a clinical phrase: ``3-way stopcock``, ``6 Min Walk``, ``2 Leads St Elevation``,
    ``c/ Sorafenib 400``), IP addresses and web addresses (URLs), phone numbers in
    international (E.164) and national formats, e-mail addresses, calendar dates in any common
    format (``2023-01-15``, ``15.01.2023``, ``01/15/23``, ``20230115``, ``January 15, 2023``,
    ``15 Jan 2023``, ``2023. 1. 15.``, ``15 de enero de 2023``, ``15 января 2023``, month names in
    English, French, German, Spanish, Portuguese, Italian, Dutch and Russian,
    ``2023년 1월 15일``), record numbers named in the cell (``MRN 1234567``,
    ``HN: 00123``, ``Hosp. No. 123456``, ``PID 123456``, ``Fallnummer 1234567``, the Australian
    ``UR 123456``, a year and a serial as Indian hospitals write them, ``IP No. 2023/12345``,
    ``OPD No. 2023/456``; in ``patient_id`` a record's own label first and five or more digits,
    ``MRN:887766``, ``Hospital No. 123456``, ``Fallnr 123456``, ``UR 123456``, while a study's
    ``HN-001``, ``UR-001``, ``PID-00012`` and ``Case 001`` pass; not ``IP injection``, ``UR 3+``
    nor ``urine output 1200``), personal names, Hangul, Chinese/Japanese, Arabic-script,
    Hebrew, Indic-script (Devanagari, Bengali, Tamil, …) or Thai, Lao, Burmese or Khmer text, and
    long digit runs that look like record numbers. A column of free text
    gets a warning: the guard cannot see every name or date in prose.
    :func:`analysis.cohort.load_cohort` runs the scanner on every cohort, chunk by chunk; the
    book's own passes.
:func:`mask`, :func:`printable`, :func:`printable_id`, :func:`printable_header` and :func:`shown_cell`
    what messages show instead of a value: an identifier is replaced by ``[masked]``
    (:data:`MASKED`: no character of it, not its first letters nor its shape; the message's
    line number, or the column's position, says where it is); a cell
    that broke a type or category rule is quoted only when it cannot be an identifier
    (:func:`echoable`: a number of at most six digits, a single character, a word such as
    ``high`` or ``yes``, a token shaped like the column's allowed values) and is otherwise
    described by its length (``a 10-character text value, not a number``). No refused value is
    ever printed or written.
:func:`suppress_small_counts`, :func:`hidden_counts`, :func:`hidden_steps` and :func:`glued_counts`
    hide counts below a threshold (default 5) in tables computed from a user's cohort and in
    counts glued into the prose, and the counts that would give a hidden one back by
    subtraction from a shown total or sum, or from a neighbouring row of a cumulative column
    (complementary suppression: they read ``hidden``).
:func:`central_range`, :func:`shown_percentile` and :func:`shown_quartiles`
    what a user's cohort shows in place of its minimum–maximum (the 5th–95th percentile), its
    median and its quartiles: never one patient's value (a statistic may equal a value only
    when at least :data:`CENTRAL_MIN_SHARED` patients share it; otherwise it moves half-way to
    the next value). Kaplan–Meier medians are left alone: a survival median is an event time,
    one patient's death or progression, by definition.
:func:`is_user_cohort`
    tells the book's cohort (``data/cohort.csv``) from any other.

How text is read. Every value and column name is first put in a canonical form
(:func:`canonical`): Unicode NFKC, so full-width digits and letters (``１２３``) are ASCII and a
no-break space is a space; zero-width spaces, joiners, soft hyphens and direction marks removed;
digits of other scripts (Arabic-Indic ``٨٥``) read as 0-9 and dashes as ``-``. Messages still
mask the value as it was written.

Personal names. A whole cell of two to four capitalised words in Latin, Greek or Cyrillic script
(``John Smith``, ``SMITH, John``, ``J. Smith``, ``Smith J.``, ``Иван Петров``) is a name unless one
word is a label word (hospital, stage, response, score, …) or the phrase is clinical: every word in
a stoplist of clinical and common words (diseases, symptoms, procedures, devices, anatomy, drugs
and their stems ``-mab``, ``-nib``, ``-platin``, ``-rubicin``; ``Tolerated Well``, ``Common Hepatic
Artery``), or one word clinical and none a listed name (``Hickman Catheter``). Listed names are
also words and places (Moon, Park, Hong, Foster), so a phrase with a common word or a place in it
(``Moon Face``, ``Hong Kong``, ``Park Lane``, ``White British``; place names whose words are names,
``Thanh Hoa``, ``San Jose``, count as places, and so do Vietnamese clinical words whose
syllables are names, ``trung bình``, ``đái tháo đường`` (and, spelt with their diacritics
only, ``đô thị``, ``thị trấn``), unless a listed name or a
capitalised word is before them: Lê Thành Công) is a
name only on stronger evidence: two other listed names (``Nguyen Thi Thanh Hoa``), a comma or an
initial (``Hand, John``), or a listed given name first (``John Hand``). Written in one case (``john smith``, ``JOHN SMITH``, ``иванов иван``) the
shape alone cannot tell a name from a note (``moon face``, ``foster home``), so such a cell counts
only when it looks like a whole name: two to four words, every one (particles such as van, de
aside) in a list of common given names and surnames (about 650 in this module, in Latin and
Cyrillic), or one a Russian patronymic (``-ович``, ``-овна``), and none in the stoplists; a name
outside the list, in one case, passes. Romanised Korean names count by their structure: a listed
Korean surname and a given name of two romanised syllables (``Lim Soo-jin``, ``JUNG MINSU``, ``LIM,
SOOJIN``), or a hyphenated given name before it (``Soo-jin Lim``); also in one case, in either
order and joined by ``_ . -`` or spaces (``minsu_kim``, ``kim chul soo``), and so do romanised
Chinese ones, a listed surname and one or two pinyin syllables (``wang_fang``, ``li_na``,
``zhang xiaoming``; in free text one syllable only joined by ``_`` or ``.``, as ``huang qi``
is a herbal medicine). Chinese names in Cantonese, Hokkien and Wade–Giles spelling count the same
way with a surname of their own list (Chan, Wong, Ng, Tan, Lim, Hsu, Tsai) and a given name of two
listed syllables (``chan tai man``, ``Hsu Mei-ling``, ``tan boon keng``, ``wong_kawai``), Japanese
ones with a listed surname and a given name of two to six morae (``yamamoto_taro``, ``suzuki
ichiro``, ``Ōno Yūko``); these never in Vietnamese written with its marks (``chân tay``, ``lâm
sàng``), and so ``ng tube``, ``chan doan``, ``tran dich``, ``lau ngay`` and ``lam sang`` pass (a
surname with one listed given syllable counts only joined, and Hong Kong and Taiwan places whose
words are names, ``Wong Tai Sin``, ``Tai Po``, ``Chang Gung``, are places). A surname in capitals
before or after a capitalised given name counts too (``CHAN Tai Man``, ``YAMAMOTO Taro``). In an
id, a Vietnamese surname first and one or two short words join into a name whatever the middle
name (``nguyen_gia_huy``), and a counter after a name changes nothing (``chan_tai_man_01``; but
``LI_NA_01``, letters of two, is a site's code). Short English words and words with digits make
none (``ko_001``, ``go on``, ``he ran``). Inside a sentence, a Vietnamese name counts after a
surname that is no common word (``seen by nguyen minh at ward 3``), capitalised (``seen by Le Van
Hung``), or after a word that introduces a person (by, Dr, BS, BN, patient, bác sĩ, bệnh nhân)
in any case (``seen by le hoang today``, ``seen by nguyen van an``), while words that begin with
a surname's spelling stay phrases (``bn dang dieu tri``, ``bn ho ra mau``, ``bs ho tro``). After
an English cue (by, Dr, pt, patient, Mr, discussed with) a listed given name and surname count
in any case (``seen by john smith``), also with a middle initial (``seen by John T. Smith``), as
surname, comma and given name or initial (``seen by smith, john``, ``Smith, J.``) or as a
capital initial and a surname (``seen by J. Smith``); after a verb of care and by (seen,
reviewed, examined, assessed by) two words that no list here knows count at the end of a clause
(``seen by kavya reddy today``; not a role, a team or a specialty: ``seen by day team``,
``seen by hpb surgeons``, ``seen by HPB MDT``), and after referred by only with a listed given
name first or surname second, as a hospital and its city are written so (``referred by cmc
vellore``, ``royal marsden``). A title before a capitalised word counts anywhere in a
cell (``Mr. Tanaka``, ``Dr. García``, ``seen by Dr Kim``, ``Frau Weber``, ``Hr. Müller``, ``Sig.
Rossi``, ``Señora Pérez``, ``Monsieur Dupont``, ``Dhr. Jansen``, ``Dott.ssa Bianchi``, ``Dr. med.
Hoffmann``), in lower case before a listed surname or two joined by a hyphen (``seen by dr
kim``, ``mrs park-choi``; not ``mr long-term``), and so does a Japanese or Korean
honorific after one (``Tanaka-san``, ``Suzuki sama.``, ``Kim-ssi``, ``Park-nim``); a patient
label (``Patient``, ``Pt.``, ``Pat.``, ``Paciente``) before a listed surname of three letters or
more (``Patient: Müller``, ``Pt. Schmidt``, ``Pt: Chan``); any other word after a label passes
(``Patient: Alert``, ``Pt. Status``, ``Pat. Verstorben``), an unlisted surname too. Arabic-script
and Hebrew text, which has no letter case, is refused like Hangul (it may be a name), and so is
text in the Brahmic scripts, which have none either: Devanagari, Bengali, Gurmukhi, Gujarati,
Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai, Lao, Burmese and Khmer (two letters; their
digits read as 0-9). In free columns a name-like value repeated in more than three rows is a label
(a site, an arm), not a name.

Hospital numbers and measurements. In ``patient_id`` seven or more consecutive digits are a
hospital registration number, and ``None``, ``null`` or ``NA`` (any case) is a missing id; so are
ids built from a person (:func:`_id_shape_kind`): two to four letters and a birth date
(``KMS600101``, YYMMDD or DDMMYY not starting with 00, or YYYYMMDD; also after ``/`` and in
parts: ``KMS/600101``, ``KMS-60-01-01``), initials with dots (``A.B.``, ``K.M.S.``), a listed
name of four letters or more and a number (``Nguyen0``, ``Nguyen_000``, ``Park4``), a name with
its words joined (``Nguyen_Van_An``, ``NguyenVanAn``, ``J.Smith``; hospitals and places pass:
``BachMai_001``), one word of letters in any script with letter case, accented or not, its
parts joined by an apostrophe or a hyphen, capitalised (``Smith``, ``José``, ``Zoë``,
``O'Brien``, ``Jean-Luc``) or a listed name in one case (``SMITH``, ``müller``; a label,
clinical or common word passes: ``Control``, and so do codes in capitals, ``HCC``, ``SNUH``,
and codes with digits, ``HCC-001``, ``A12``); a name of two or three letters and a number
(``Le1``, ``Kim2``, ``Han_3``) passes, as it cannot be told from a site code, and once the column is refused no
message shows any of its ids. Letters and six digits that read as a date are decided for the
column once the whole file is read, as a study's letters and a counter may read as one
(``HCC190101``, case 101 of 2019): such an id is a study's number when another id of letters
and six digits lies at most 100 from it (under the same letters, or under any when the column
has at most 50 different letters: sites sharing a counter), or when most ids under its letters
read as no date; any other, even a single ``KMS600101`` among ``P001`` …, refuses the column
(initials differ between patients and birth dates lie far apart). A counter beside six digits
(``P001-650312``, ``HCC_01.650312``) is decided the same way: a study's second counter
(``P001-190101``, ``P002-190102`` …) passes, patients' birth dates refuse the column. In a
free column (one the book does not read), a whole cell of seven or eight digits (``12345678``,
or ``12345678.0`` as a spreadsheet saves it) is a hospital number unless the column holds
measurements: its name says so (``hbv_dna_iu_ml``, ``platelet_count``: DNA, IU, copies, count,
level, units), or at least half its cells are plain numbers and at least one number in five is
not a whole number of seven or eight digits (HBV DNA ``1234567`` IU/mL among ``350`` and
``2.1e4``), or at least half its long numbers are round or repeated as measurements are
(``5800000``, ``12000000``); with a leading zero (``0012345``) it is never a measurement. One to
three letters before seven or eight digits (``H1234567``, ``K-12345678``; apart, two or three
capitals that label no measurement, ``RTH 1234567``, not ``DNA 1234567``) are a hospital number
in any free column, except trial and database accessions (``NCT01234567``, ``rs12345678``), and
so is a long number after a record label without "no" (``chart 12345678``, ``ID: 12345678``). A
resident registration number cut or masked after the sex digit (``850101-1******``,
``850101-1``) still gives a birth date and sex, and is refused. The book's own number columns
(``afp_ng_ml``, ``pivka2``, …) are measurements by definition: a valid number there is never read
as a hospital number (AFP can exceed a million ng/mL). A number a message shows is plain decimal
(at most eight significant digits, never ``1.23457e+07``), and one of a million or more, in any
number column, is described (``an 8-digit number``), not shown. Digit runs of nine or more are
refused in every free column, as before.

Column names. A header is refused by its name (the table below) and also when it holds an
identifier itself: a file whose header line is missing names its columns by the first
patient's values. Every message, and the ``OK`` line of ``validate``, shows a column name the
way values are shown (:func:`printable_header`): one with an identifier, a name or a run of five
or more digits in it is masked (``[masked]``; the message names its position).

The rules follow the HIPAA Safe Harbor list of direct identifiers (45 CFR 164.514(b)(2)),
the GDPR's notion of directly identifying data, and Korea's Personal Information Protection
Act, under which the resident registration number (주민등록번호) may not be processed for
research without a legal basis. They are heuristics: passing them does not make a data set
anonymous, and the data owner stays responsible.

Every pattern here is linear in the length of the text (bounded repetitions, anchored starts),
so a long free-text cell costs time in proportion to its length.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.formatting import NOT_SHOWN_PREFIX, rounded
from analysis.formatting import count as fmt_count
from analysis.problems import MAX_ROWS_SHOWN, Problem, RowRef
from analysis.verdicts import is_user_cohort

__all__ = [
    "find_identifiers",
    "IdentifierScanner",
    "identifier_kind",
    "mask",
    "mask_file_name",
    "FILE_SUFFIXES",
    "printable",
    "printable_id",
    "printable_header",
    "file_name_identifier",
    "shown_cell",
    "echoable",
    "fold_diacritics",
    "canonical",
    "describe_value",
    "suppress_small_counts",
    "suppress_if_user_cohort",
    "hidden_counts",
    "glued_counts",
    "small_groups",
    "hidden_steps",
    "COMPLEMENT_MARK",
    "MASKED",
    "is_user_cohort",
    "SMALL_COUNT_THRESHOLD",
    "NOT_SHOWN",
    "NOT_SHOWN_SMALL_GROUP",
    "MAX_ID_LENGTH",
]

#: Default threshold below which counts are hidden in tables of a user's cohort.
SMALL_COUNT_THRESHOLD = 5

#: What a user's cohort prints instead of a rate (or its interval) of 1 to 4 patients, or one
#: that would give such a count back.
NOT_SHOWN = f"{NOT_SHOWN_PREFIX} (it would reveal a count below {SMALL_COUNT_THRESHOLD})"

#: What a user's cohort prints instead of a result of a group of 1 to 4 patients (a median
#: survival, its interval, a log-rank test comparing the group): the Kaplan-Meier figures do
#: not draw such a group (:func:`analysis.plots.km_plot`), and its median is about one
#: patient's death time (:func:`small_groups`).
NOT_SHOWN_SMALL_GROUP = f"{NOT_SHOWN_PREFIX} (fewer than {SMALL_COUNT_THRESHOLD} patients)"

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
        + r"|accession\w*|patient_?(no|nr|num|number)|등록번호|병록번호|환자번호|환자_?id)_",
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
        r"|latitude|longitude|gps\w*|주소|home_?loc\w*|geo_?loc\w*|geo_?coord\w*|geo|coordinates"
        r"|coords|lat_?lon\w*|lat_?lng)_|^_(lat|lon|lng)_$",
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
    # Unit No, UR, CRN (clinical record number); SSN4 (its last four digits); mother's maiden
    # name; a contact (a phone number or an address, and the person's name)
    (
        r"_unit_?(no|nr|num|number)_|^_(ur|crn)(_" + _NO + r")?_$|_crn_",
        "a hospital, case or registration number",
    ),
    (r"_ssn_?\w+_|_\w*_ssn_|_ssn[0-9]\w*_", "a national identity, passport or licence number"),
    (r"_maiden(_?names?)?_", "a person's name"),
    (
        r"^_contacts?_$|_contact_?(no|nr|num|number|details?|info\w*|tel\w*|phone\w*)_",
        "a phone number",
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
    # a date of death is a date of a person too (HIPAA: all elements of dates but the year)
    (r"^_dod_$|_date_?of_?death_|_death_?date_", "a calendar date"),
    (r"_(dia_?chi|adresse|anschrift)_", "an address"),
    # a house number, a street's name, a residence (Vietnamese thường trú, tạm trú, nơi ở, chỗ
    # ở, phường/xã, quận/huyện; Korean juso, Japanese jūsho), a neighbourhood or municipality
    (
        r"_(house_?(no|nr|num|number)|hausnummer|hausnr|stra(ss|ß)e|street_?name|calle|rue|juso"
        r"|jusho|thuong_?tru|tam_?tru|noi_o|cho_o|phuong_?xa|quan_?huyen|neighbou?rhood|suburb"
        r"|municipio|localidad|ville|gemeinde)_",
        "an address",
    ),
    (r"_(sdt|so_?dien_?thoai|telefon\w*)_", "a phone number"),
    (r"_(website|web_?site|homepage)_", "a web, device or biometric identifier"),
]
# More languages and countries (a hostile review found ФИО, Имя, Fecha de nacimiento, NRIC and
# CURP accepted), as a table: what the column holds, then its spellings as regex fragments on
# the normalised name: ``tokens`` match between separators, ``whole`` only as the entire name
# (short or ambiguous words: "rut", "nss"), ``anywhere`` inside it (Chinese and Japanese, which
# have no separators). Birth dates come before plain dates ("дата рождения" is a birth date).
_MORE_NAME_RULES: list[tuple[str, list[str], list[str], list[str]]] = [
    (
        "a birth date",
        [
            r"b_?date", r"bday", r"b_?dt",
            r"f(echa)?_?(de_)?nac(imiento)?", r"nacimiento", r"nasc(?:imento|ita)?", r"naissance",
            r"date_?de_?naissance", r"geboorte\w*", r"geb_?dat\w*", r"geburt\w*", r"urodzeni\w*",
            r"dogum\w*", r"fodelse\w*", r"fodsel\w*", r"syntymaaika", r"tgl_?lahir",
            r"tanggal_?lahir", r"рождени\w*", r"д_р", r"ميلاد", r"الميلاد",
        ],
        [r"ddn", r"fnac", r"dtnasc"],
        [r"出生日期", r"生年月日", r"出生年月", r"誕生日"],
    ),
    (
        "a person's name",
        [
            r"фио", r"ф_и_о", r"имя", r"фамили\w*", r"отчество",
            r"nombre_?y_?apellidos?", r"nom_?complet", r"nom_?de_?famille", r"nome_?completo",
            r"imie", r"imiona", r"nazwisko", r"ad_?soyad\w*", r"soyad\w*", r"hasta_?adi",
            r"naam", r"namn", r"efternamn", r"fornamn", r"nama", r"nama_?pasien", r"vardas",
            r"pavarde", r"jmeno", r"prijmeni", r"ονομα\w*", r"επωνυμο", r"اسم", r"الاسم",
            r"اسم_\w*", r"שם", r"שם_\w*",
        ],
        [r"пациент", r"больной", r"paciente", r"patiente", r"paziente", r"patient_?full"],
        [r"姓名", r"氏名", r"名前", r"患者名", r"病人姓名", r"フリガナ"],
    ),
    (
        "a hospital, case or registration number",
        [
            r"nhc", r"n_?historia\w*", r"(no|num|numero|nro)_?(de_)?historia\w*",
            r"historia_?clinica", r"expediente\w*", r"prontuario\w*", r"registro_?hospitalar",
            r"cartella\w*", r"nosologico", r"aufnahme_?(nummer|nr)", r"kranken_?blatt\w*",
            r"номер_?истори\w*", r"истори\w*_?болезни", r"n_?истори\w*", r"номер_?карты",
            r"медкарт\w*", r"رقم_?الملف", r"رقم_?المريض", r"mrn_?\w*",
        ],
        [r"nhc"],
        [r"病历号", r"病歴番号", r"住院号", r"门诊号", r"病案号", r"患者番号", r"カルテ番号", r"診察券",
         r"患者_?id", r"病人_?id"],
    ),
    (
        "a national identity, passport or licence number",
        [
            r"nric\w*", r"my_?kad", r"ic_?(no|nr|num|number)", r"hkid\w*", r"hk_?id",
            r"curp", r"cedula\w*", r"rut", r"run_?(no|num|numero)", r"dui", r"ktp",
            r"nik_?ktp", r"nin", r"emirates_?id", r"iqama\w*", r"civil_?id", r"citizen\w*_?id",
            r"thai_?id", r"securite_?sociale", r"secu", r"tessera_?sanitaria", r"carte_?vitale",
            r"dowod\w*", r"tc_?kimlik\w*", r"kimlik\w*", r"паспорт\w*", r"снилс", r"инн",
            r"полис(?:а|_?омс|_?дмс)?", r"رقم_?الهوية", r"الهوية", r"هوية", r"الرقم_?الوطني", r"תעודת_?זהות",
            # Nordic, Dutch, Swiss, German/Austrian, UK, Japanese, Indian, Irish, Brazilian
            r"person_?n(?:umme)?r\w*", r"cpr_?n(?:umme)?r\w*", r"henkilotunnus", r"hetu",
            r"fodselsnummer", r"burger_?service_?nummer", r"ahv_?(no|nr|num\w*|nummer)", r"avs_?(no|nr|num\w*)",
            r"sozial_?versicherungs\w*", r"sv_?(nummer|nr)", r"svnr", r"ni_?(no|nr|num|number)",
            r"my_?number", r"pan_?(no|nr|num|number|card)", r"pps_?(no|nr|num|number)",
            r"cpf", r"rg_?(no|nr|num|numero)", r"nhi_?(no|nr|num|number)",
            r"health_?card\w*", r"ohip\w*", r"ramq", r"carte_?soleil",
            # German insurance and identity cards, Belgian national and social security numbers
            r"\w+versicherten\w*", r"personal_?ausweis\w*", r"ausweis_?(nummer|nr)",
            r"rijksregister\w*", r"(numero|no|n)_?national", r"registre_?national",
        ],
        [r"rut", r"rfc", r"nss", r"nik", r"cui", r"hkic", r"nric_?fin", r"ahv", r"niss", r"inss"],
        [r"身份证", r"身份證", r"身分證", r"マイナンバー", r"個人番号", r"保険証"],
    ),
    (
        "an address",
        [
            r"direccion", r"domicilio", r"endereco", r"indirizzo", r"adres", r"codigo_?postal",
            r"cod_?postal", r"postleitzahl", r"wohnort", r"wohnadresse", r"ciudad", r"cidade",
            r"colonia", r"адрес\w*",
            r"عنوان", r"العنوان", r"כתובת",
        ],
        [r"cep", r"plz"],
        [r"住所", r"地址", r"住址"],
    ),
    (
        "a phone number",
        [r"celular", r"movil", r"telemovel", r"whatsapp", r"mobil_?(nummer|nr|tel\w*)",
         r"handy_?(nummer|nr)", r"телефон\w*", r"هاتف", r"الهاتف",
         r"جوال", r"טלפון"],
        [r"тел", r"tlf", r"tlfn", r"no_?hp", r"handy", r"mobil"],
        [r"電話", r"电话", r"手机", r"携帯"],
    ),
    (
        "an e-mail address",
        [r"correo\w*", r"courriel", r"почта", r"эл_?почта", r"البريد\w*"],
        [],
        [r"邮箱", r"メール"],
    ),
    (
        "a calendar date",
        [r"fecha\w*", r"дата\w*", r"\w*datum", r"tarih\w*", r"تاريخ"],
        [],
        [r"日期", r"年月日"],
    ),
]  # fmt: skip
for _what, _tokens, _whole, _anywhere in _MORE_NAME_RULES:
    _parts = []
    if _tokens:
        _parts.append(r"_(?:" + "|".join(_tokens) + r")_")
    if _whole:
        _parts.append(r"^_(?:" + "|".join(_whole) + r")_$")
    if _anywhere:
        _parts.append("|".join(_anywhere))
    # birth dates first: "date de naissance" is no plain date
    _NAME_RULES.insert(
        0 if _what == "a birth date" else len(_NAME_RULES), ("|".join(_parts), _what)
    )
_NAME_RULES = [(re.compile(p), what) for p, what in _NAME_RULES]


# Letters a normalised column name keeps: Latin (diacritics folded), Greek, Cyrillic, Hebrew,
# Arabic, Japanese kana, Chinese characters and Hangul; everything else separates tokens.
_NAME_KEEP = re.compile(
    r"[^0-9a-z\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u3040-\u30ff\u4e00-\u9fff"
    r"\uac00-\ud7a3]+"
)


def _normalise(name: str) -> str:
    name = canonical(str(name)).replace("#", " no ")  # Pt#, MR#: "#" reads "number"
    # Hangul and kana kept as written: folding would strip the voicing marks of kana (バ -> ハ),
    # and マイナンバー, フリガナ would no longer be the names the rules spell
    name = "".join(
        ch if "\uac00" <= ch <= "\ud7a3" or "\u3040" <= ch <= "\u30ff" else fold_diacritics(ch)
        for ch in name
    )
    return "_" + _NAME_KEEP.sub("_", name.lower()).strip("_") + "_"


# geo_mean (a geometric mean) is no place; coordinates beside a unit or a word of an image
# (lesion_coordinates, coords_mm, tumour_coords_ct) are a lesion's in a scan, not a home's
_GEO_MEAN = re.compile(r"_geo(?=_?mean|_?metric)")
_IMAGE_WORD = re.compile(
    r"_(?:mm|cm|px|pixels?|voxels?|lesions?|tumou?rs?|nodules?|roi|ct|mri|slice|image|seeds?)_"
)
_COORD_WORD = re.compile(r"_(coordinates|coords)(?=_)")


_DOSE_WORD = re.compile(r"_(?:m?gy|[gmk]bq|m?ci|dose|activity)_")


@functools.lru_cache(maxsize=1024)
def _measured_column(name: str) -> bool:
    """Whether a column's name gives its values a unit of a scan or a dose (``lesion_xy_mm``,
    ``y90_activity_gbq``): two four-decimal numbers in it are no GPS pair.

    >>> [_measured_column(n) for n in ("lesion_xy_mm", "activity_gbq", "note", "home_mm")]
    [True, True, False, False]
    """
    norm = _normalise(name)
    if _name_reason(name) is not None or re.search(
        r"_(?:home|house|gps|address|residen\w*)_", norm
    ):
        return False
    return bool(_IMAGE_WORD.search(norm) or _DOSE_WORD.search(norm))


def _name_reason(name: str) -> str | None:
    """What a column name says its column holds, or None.

    >>> [_name_reason(n) for n in ("geo_mean_afp", "lesion_coordinates", "coordinates_mm")]
    [None, None, None]
    >>> [_name_reason(n) is not None for n in ("geo", "coordinates", "home_coords", "gps_mm")]
    [True, True, True, True]
    """
    norm = _normalise(name)
    if norm == "_patient_id_":
        return None
    norm = _GEO_MEAN.sub("_geometric", norm)
    if _IMAGE_WORD.search(norm):
        norm = _COORD_WORD.sub(r"_image\1", norm)
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
    r"|d[ée]cembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember"
    # Spanish, Portuguese, Italian, Dutch; Russian in the genitive (15 января 2023)
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre"
    r"|diciembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro"
    r"|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    r"|januari|februari|maart|mei|augustus"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
    r"\.?(?![a-zà-ÿа-яё])"
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_RRN_DATE = r"(?<![0-9])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# the whole number; masked after the birth date or the sex digit (850101-1******), or cut after
# the sex digit (850101-1): the birth date and sex of a person still
_RRN = re.compile(
    rf"{_RRN_DATE}[- ]?[1-8][0-9]{{6}}(?![0-9])"
    rf"|{_RRN_DATE}[- ]?[1-8*xX•●][*xX•●]{{6}}(?![0-9*])"
    rf"|{_RRN_DATE}-[1-8](?![0-9A-Za-z*])"
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
    # Russian and CIS national form: trunk 8, area code, 3-2-2 (8 (912) 345-67-89)
    r"|(?<![\w.])8(?:[ -]?\([0-9]{3,5}\)[ -]?|-[0-9]{3}-)[0-9]{1,3}-[0-9]{2}-[0-9]{2}(?![\w])"
)
_DATE = re.compile(
    rf"(?<![0-9]){_YEAR}([-/.]){_MON}\1{_DAY}(?![0-9])"
    rf"|(?<![0-9.]){_DAY}([-/.]){_MON}\2{_YEAR}(?![0-9])"
    rf"|(?<![0-9.]){_MON}([-/.]){_DAY}\3{_YEAR}(?![0-9])"
    rf"|(?<![\w.]){_DAY}([-/.]){_DAY}\4[0-9]{{2}}(?![\w.])"
    rf"|(?<![0-9]){_YEAR}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])"
    rf"|(?<![a-zà-ÿ]){_MONTH_NAME}[\s-]{{1,3}}{_DAY}(?:st|nd|rd|th)?,?[\s-]{{1,3}}{_YEAR}(?![0-9])"
    rf"|(?<![0-9]){_DAY}(?:st|nd|rd|th)?\.?[\s-]{{1,3}}(?:de\s{{1,3}})?{_MONTH_NAME}[\s,-]{{1,3}}"
    rf"(?:de\s{{1,3}})?(?:{_YEAR}|[0-9]{{2}})(?![0-9])"
    # 2023. 1. 15. (Korean), 15. 1. 2023 (Czech, Slovak, German): dots followed by spaces
    rf"|(?<![0-9.]){_YEAR}\.\s{{1,2}}{_MON}\.\s{{1,2}}{_DAY}(?![0-9])"
    rf"|(?<![0-9.]){_DAY}\.\s{{1,2}}{_MON}\.\s{{1,2}}{_YEAR}(?![0-9])"
    rf"|(?<![0-9]){_YEAR}[\s-]{{1,3}}{_MONTH_NAME}[\s-]{{1,3}}{_DAY}(?![0-9])"
    r"|(?:19|20)[0-9]{2}\s{0,3}[년年]\s{0,3}[0-9]{1,2}\s{0,3}[월月]\s{0,3}[0-9]{1,2}\s{0,3}[일日]",
    re.IGNORECASE,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# scripts without letter case, where a name cannot be told from a word (as with Hangul): two
# letters of Arabic script (Arabic, Persian, Urdu) or of Hebrew
_ARABIC = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff]{2}")
_HEBREW = re.compile(r"[\u05d0-\u05ea]{2}")
# the same for the Brahmic scripts, which have no letter case either: two letters or vowel signs
# (a consonant and its vowel sign, क + ि) of Devanagari, Bengali, Gurmukhi, Gujarati, Oriya,
# Tamil, Telugu, Kannada, Malayalam or Sinhala (their digits read as 0-9 and the danda is
# punctuation), or of Thai, Lao, Myanmar or Khmer (not the baht sign, digits or punctuation)
_INDIC = re.compile(r"[\u0900-\u0963\u0971-\u0dff]{2}")
_THAI = re.compile(
    r"[\u0e01-\u0e3a\u0e40-\u0e4e\u0e81-\u0ecf\u0edc-\u0edf\u1000-\u103f\u1050-\u108f"
    r"\u1780-\u17d3\u17dc\u17dd]{2}"
)
_ID_DIGITS = re.compile(r"[0-9]{7,}")
# UK National Insurance number: two prefix letters (never D, F, I, Q, U, V; the second never O;
# not BG, GB, KN, NK, NT, TN, ZZ), six digits, a suffix A-D (AB 12 34 56 C)
_NINO = re.compile(
    r"(?<![A-Za-z0-9])(?!(?i:bg|gb|kn|nk|nt|tn|zz))[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z]"
    r"[A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d](?![A-Za-z0-9])"
)
# Nordic personal identity numbers: a birth date of six digits (DDMMYY in Denmark, Norway and
# Finland, YYMMDD or YYYYMMDD in Sweden), then - or + (Finland also A-F, U-Y for the century)
# and four characters: Danish CPR 010185-1233, Swedish 850101-1236, Finnish 131052-308T
_NORDIC = re.compile(
    r"(?<![0-9A-Za-z+-])(?:19|20)?(?P<date>[0-9]{6})(?:[-+][0-9]{4}"
    r"|[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Ya-y])(?![0-9A-Za-z])"
)
# Indian PAN (permanent account number): five letters, the fourth the holder's kind (P a
# person), four digits, a letter (ABCPE1234F)
_PAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z](?![A-Za-z0-9])"  # printed in capitals
)
# US Medicare Beneficiary Identifier: 11 characters, letters never S, L, O, I, B or Z
# (1EG4-TE5-MK73)
_MBI_L = "[AC-HJKMNP-RT-Yac-hjkmnp-rt-y]"
_MBI = re.compile(
    rf"(?<![A-Za-z0-9])[1-9]{_MBI_L}(?:{_MBI_L}|[0-9])[0-9]-?{_MBI_L}(?:{_MBI_L}|[0-9])[0-9]-?"
    rf"{_MBI_L}{{2}}[0-9]{{2}}(?![A-Za-z0-9])"
)
# Irish PPS number: seven digits and a check letter (modulo 23), perhaps a second letter
_PPS = re.compile(r"(?<![A-Za-z0-9])([0-9]{7})([A-Wa-w])([A-IWa-iw]?)(?![A-Za-z0-9])")
# A whole cell of digit groups, nine digits or more in all (Japanese My Number 1234 5678 9012,
# Australian Medicare 2123 45670 1, Thai 1-2345-67890-12-1, Swiss AHV 756.1234.5678.97,
# Austrian 1234 010180, Belgian 85.01.01-123.45): an identity number written the way a card
# prints it escapes the digit-run rule. Not a number with spaces between its thousands
# (1 234 567 890, or a list of values 100 200 300) nor a decimal (12345.6789); with dots
# (1.234.567.890) it is refused, as the same digits in a row are (a Colombian cédula).
_DIGIT_GROUPS = re.compile(r"[0-9]{1,8}(?:[ .\-][0-9]{1,8}){1,6}")
_DECIMALS = re.compile(r"[0-9]+\.[0-9]+(?: +[0-9]+\.[0-9]+)+")  # 12.5 13.5 14.5: values
_THOUSANDS = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")
_TEXT_DIGITS = re.compile(r"(?<![0-9.])[0-9]{9,}")

# National numbers printed with dots or hyphens, which a patient_id's digit-groups rule lets
# pass (a study code joins its parts so: 12-2023-0045), told apart by their check digits:
# Belgian national register number (birth date, serial, 97 - modulo 97: 85.07.30-033.28),
# Swiss AHV (756, nine digits, an EAN-13 check digit: 756.1234.5678.97), Thai identity number
# (13 digits, modulo 11: 1-2345-67890-12-1)
_BE_NN = re.compile(r"(?<![0-9.-])[0-9]{2}\.[0-9]{2}\.[0-9]{2}[-.][0-9]{3}\.[0-9]{2}(?![0-9])")
_AHV = re.compile(r"(?<![0-9.-])756([.-])[0-9]{4}\1[0-9]{4}\1[0-9]{2}(?![0-9])")
_THAI_ID = re.compile(r"(?<![0-9-])[1-8]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9](?![0-9])")


def _be_nn_ok(m: re.Match) -> bool:
    d = _digits(m.group(0))
    month, day = int(d[2:4]) % 20, int(d[4:6])  # +20, +40: a month unknown (BIS numbers)
    key = int(d[9:])
    return month <= 12 and day <= 31 and key in (97 - int(d[:9]) % 97, 97 - int("2" + d[:9]) % 97)


def _ean13_ok(m: re.Match) -> bool:
    d = [int(c) for c in _digits(m.group(0))]
    return (10 - sum(x * (3 if i % 2 else 1) for i, x in enumerate(d[:12])) % 10) % 10 == d[12]


def _thai_id_ok(m: re.Match) -> bool:
    d = [int(c) for c in _digits(m.group(0))]
    return (11 - sum(x * (13 - i) for i, x in enumerate(d[:12])) % 11) % 10 == d[12]


# Personal names in a cased script (Latin, Greek, Cyrillic), matched against a whole cell
# (after diacritics are folded, so Ё reads Е and й reads и).
_UP = "A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЀ-Џ"
_LOW = "a-zß-öø-ÿα-ωа-яѐ-џ"
_WORD = rf"(?:Mc|Mac|O['’])?[{_UP}][{_LOW}]+(?:[-'’][{_UP}][{_LOW}]+)?"
_CAPS = rf"[{_UP}]{{2,}}(?:[-'’][{_UP}]{{2,}})?"
_PARTICLE = r"(?:van|von|de|da|di|du|del|della|der|den|la|le|bin|ibn|al|dos|das|y)"
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mme|Mlle|Herr|Frau|Sr|Sra)\.?\s+)?"
_INITIAL = rf"[{_UP}]\."
_NAME = re.compile(
    rf"{_TITLE}(?:{_WORD}|{_INITIAL})(?:\s+(?:{_PARTICLE}\s+)?(?:{_WORD}|{_INITIAL})){{0,2}}"
    rf"\s+(?:{_PARTICLE}\s+)?{_WORD}"  # John Smith, Mary Ann Jones, J. Smith, Ludwig van Beethoven
    rf"|(?:{_WORD}|{_CAPS}),\s*(?:{_WORD}|{_INITIAL})(?:\s+(?:{_WORD}|{_INITIAL}))?"  # SMITH, John
    rf"|(?:{_WORD}|{_CAPS})\s+{_INITIAL}(?:\s?{_INITIAL}){{0,2}}"  # Smith J., Петров И. С.
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
    cisplatin epirubicin fluorouracil dose doses cycle cycles hepatitis virus vitamin factor
    cirrhosis score scale phase level type bclc hbv hcv afp pvtt ecog ps cr pr sd pd recist
    mrecist vp et classification index criteria syndrome sign method procedure operation
    technique regimen protocol rule formula equation""".split()
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
# A US city, state and ZIP code (Springfield, IL 62704): a capitalised word or two, a comma,
# a state's two capitals and five digits
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ"
    " NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
_US_CITY_ZIP = re.compile(
    r"(?<![\w-])[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2},\s*(?:" + "|".join(_US_STATES) + r")\.?"
    r"\s+[0-9]{5}(?:-[0-9]{4})?(?![0-9])"
)
# An Irish Eircode (D02 X285): a routing key (a letter and two digits, or D6W) and four
# characters of its alphabet, letters and digits mixed (not Y90 TACE)
_EIRCODE_L = "ACDEFHKNPRTVWXY"
_EIRCODE = re.compile(
    rf"(?<![\w-])(?:[{_EIRCODE_L}][0-9]{{2}}|D6W) ?(?=[0-9{_EIRCODE_L}]{{0,3}}[0-9])"
    rf"(?=[0-9{_EIRCODE_L}]{{0,3}}[{_EIRCODE_L}])[0-9{_EIRCODE_L}]{{4}}(?![\w-])"
)
# A passport number named as one (passport C01X00T47, Reisepass-Nr. C01X00T47)
_PASSPORT = re.compile(
    r"(?i:passport|passeport|pasaporte|passaporto|reisepass|pass-?nr|passnummer)\.?"
    r"(?:\s*(?i:no|nr|number|n°|#)\.?)?[\s:#=-]{0,3}(?=[A-Z0-9]*[0-9])[A-Z0-9]{6,9}(?![\w])"
)
# A number of seven digits or more grouped by dots in thousands (Argentine DNI 30.123.456,
# Colombian cédula 1.020.304.050, Brazilian RG 12.345.678): an identity number, unless a unit
# follows it (a count or a viral load written so: 1.234.567 IU/ml)
_DOT_THOUSANDS = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:\.[0-9]{3}){2,4}(?![0-9]|[.,][0-9])")
_UNIT_AFTER = re.compile(r"\s*(?:[^\W\d_]|[/%µ×]|x\s?10)")


# a laboratory value's name just before the number: a count written so (AFP 1.234.567)
_LAB_BEFORE = re.compile(
    r"(?:\b(?:afp|pivka(?:[- ]?(?:ii|2))?|dcp|hbv[- ]?dna|hcv[- ]?rna|dna|rna|plt|platelets?"
    r"|wbc|rbc|leu[ck]ocytes?|viral load|count|copies|ferritin|ldh|cea|ca ?19-?9))\s*[:=]?\s*$",
    re.IGNORECASE,
)


def _dot_thousands_ok(m: re.Match) -> bool:
    """Seven digits or more grouped by dots, with no unit after and no laboratory value's
    name just before.

    >>> [_dot_thousands_ok(_DOT_THOUSANDS.search(t)) for t in ("DNI 30.123.456", "AFP 1.234.567")]
    [True, False]
    """
    if _LAB_BEFORE.search(m.string[max(0, m.start() - 24) : m.start()]):
        return False
    return len(_digits(m[0])) >= 7 and not _UNIT_AFTER.match(m.string, m.end())


# Street addresses (HIPAA: all geographic subdivisions smaller than a state, the street
# address first), in the forms a cell writes them. A house number and a street type are both
# needed, so a lone place (Seoul, Quận 1) or a clinical phrase with a number does not count.
# English and romanised Chinese, number first, type last (221B Baker Street, 123 Main St.,
# 88 Renmin Lu); French, number then type (12 rue de la Paix, 45 avenue Victor Hugo); Spanish,
# Portuguese, Italian and Malay, type, name, number (Calle Mayor 5, Rua Augusta, 100, Via
# Roma 12, Jalan Ampang 12); German, Dutch and Nordic, a name ending in its type and a number
# (Hauptstraße 5, Berliner Straße 12, Keizersgracht 12, Nørregade 3); Korean road names
# romanised (Teheran-ro 123, 12 Sejong-daero), Japanese blocks (1-2-3 Nishi-Shinjuku,
# Shinjuku-ku; 3-chome), Vietnamese streets and wards (12 đường Lê Lợi, ngõ 5, hẻm 34,
# Phường 5), and post-office boxes (PO Box 123, Postfach 1234).
_HOUSE_NO = r"(?<![\w.,/-])[0-9]{1,5}[A-Za-z]?(?:[-/][0-9]{1,5}[A-Za-z]?)?"
_STREET_WORD = r"[^\W\d_][\w'’.-]{0,30}"
# types that are seldom anything else after a name and a number, and those that are (Place,
# Close, Way, Court): with these no word of the name may be a common or clinical word
_STREET_STRONG = (
    r"street|st|road|rd|avenue|ave|boulevard|blvd|drive|dr|lane|ln|highway|hwy|parkway|pkwy"
    r"|lu|jie|dajie|dadao|hutong"
)
_STREET_WEAK = r"close|court|crescent|terrace|place|way|square|gardens|grove|circle|mews"
_ROMANCE_BEFORE = (  # French: after the number (not AV or BD in capitals: 2 AV Block)
    r"[Rr]ue|RUE|[Aa]venue|AVENUE|[Aa]v|[Bb]oulevard|BOULEVARD|[Bb]d|[Bb]lvd|[Cc]hemin|CHEMIN"
    r"|[Aa]ll[ée]e|ALL[ÉE]E|[Ii]mpasse|IMPASSE|[Qq]uai|QUAI|[Pp]lace|PLACE|[Ss]quare"
)
_ROMANCE_FIRST = (  # Spanish, Catalan, Portuguese, Italian, Malay and Indonesian: before the name
    r"[Cc]alle|C/|[Aa]venida|[Aa]vda|[Pp]aseo|[Pp]laza|[Cc]arrer|[Rr]ua|[Tt]ravessa|[Pp]ra[çc]a"
    r"|Via|Viale|Piazza|Corso|Vicolo|[Jj]alan|[Jj]ln|[Jj]l|Av(?=\.)"
)
_GERMANIC_SUFFIX = (
    r"stra(?:ß|ss)e|str\.|weg|gasse|allee|platz|damm|ufer|chaussee|straat|laan|plein|gracht"
    r"|singel|dijk|gatan|v[äa]gen|gade|vej|katu"
)


class _Patterns:
    """Regular expressions searched as one (:meth:`finditer`), each only in a text that has a
    digit and one of its keywords (a pattern on the text in lower case: whole words, or word
    endings where the keyword says so, ``straße$``): a search for a few words is cheaper than
    for an address, and most notes name no street."""

    def __init__(self, *parts: tuple[str, str]):
        self.parts = [(_keywords(keys), re.compile(pattern)) for keys, pattern in parts]
        self.any_key = re.compile("|".join(keys.pattern for keys, _ in self.parts))

    def finditer(self, text: str) -> Iterator[re.Match]:
        if _ANY_DIGIT.search(text) is None:
            return
        lower = text.lower()
        if self.any_key.search(lower) is None:
            return
        for keys, pattern in self.parts:
            if keys.search(lower) is not None:
                yield from pattern.finditer(text)

    def search(self, text: str) -> re.Match | None:
        return next(self.finditer(text), None)


_ANY_DIGIT = re.compile(r"[0-9]")


def _keywords(keys: str) -> re.Pattern:
    """A pattern for ``keys`` (space-separated): whole words, or a word's ending when the key
    ends with ``$`` (``weg$`` finds Lindenweg), or anywhere when it starts with ``-``."""
    whole = [re.escape(k) for k in keys.split() if not k.endswith("$") and not k.startswith("-")]
    ending = [re.escape(k[:-1]) for k in keys.split() if k.endswith("$")]
    inside = [re.escape(k) for k in keys.split() if k.startswith("-")]
    parts = [rf"\b(?:{'|'.join(whole)})(?![^\W\d_])"] if whole else []
    parts += [rf"(?:{'|'.join(ending)})(?![^\W\d_])"] if ending else []
    parts += ["|".join(inside)] if inside else []
    return re.compile("|".join(parts))


# Indian locality words and cities, before a PIN code (_street_ok)
_IN_LOCALITY = (
    "road rd marg nagar sector colony layout vihar enclave chowk bazar bazaar gali mohalla"
    " taluk tehsil district pin pincode"
)
_IN_CITIES = frozenset(
    """bengaluru bangalore mumbai delhi chennai kolkata hyderabad pune ahmedabad noida gurgaon
    gurugram jaipur lucknow kochi chandigarh thiruvananthapuram vellore mysuru mysore indore
    bhopal nagpur patna surat coimbatore""".split()
)
_IN_LOCALITY_WORD = _keywords(_IN_LOCALITY)

_STREET_ADDRESS = _Patterns(
    (  # 221B Baker Street, 123 Main St., 88 Renmin Lu
        "street st road rd avenue ave boulevard blvd drive dr lane ln highway hwy parkway pkwy"
        " lu jie dajie dadao hutong close court crescent terrace place way square gardens grove"
        " circle mews",
        rf"{_HOUSE_NO},?\s{{1,3}}(?P<en>(?:{_STREET_WORD}\s{{1,3}}){{1,3}})"
        rf"(?P<type>(?i:{_STREET_STRONG}|{_STREET_WEAK}))\.?(?![\w'’-])"
        r"(?P<after>\s{0,3}[\w.]{0,12})",
    ),
    (  # 12 rue de la Paix, 12bis, avenue Victor Hugo
        "rue avenue av boulevard bd blvd chemin allée allee impasse quai place square",
        rf"{_HOUSE_NO}(?:\s?(?i:bis|ter))?,?\s{{1,3}}(?:{_ROMANCE_BEFORE})\.?\s{{1,3}}"
        r"(?:(?i:de|du|des|la|le|les|d['’]|l['’])\s{0,3}){0,3}(?P<fr>[A-ZÀ-Ý][\w'’-]{1,30})",
    ),
    (  # Calle Mayor 5, Rua Augusta, 100, Via Roma 12, Calle de Alcalá nº 5, Jl. Sudirman No. 5
        "calle c/ avenida avda av. paseo plaza carrer rua travessa praça praca via viale piazza"
        " corso vicolo jalan jln jl",
        rf"(?<![\w])(?:{_ROMANCE_FIRST})\.?\s{{1,3}}"
        r"(?:(?i:de|del|de la|do|da|dos|das|della|di)\s{1,3}){0,2}"
        r"(?P<es>[A-ZÀ-Ý][a-zß-ÿ'’-]{1,30})(?:\s{1,3}[A-ZÀ-Ý][\w'’-]{1,30}){0,3},?\s{0,3}"
        r"(?:(?i:n[º°o]\.?|no\.?|num\.?|n\.)\s{0,3})?[0-9]{1,5}(?![0-9])",
    ),
    (  # Hauptstraße 5, Bahnhofstr. 12, Keizersgracht 12, Nørregade 3; Berliner Straße 12
        "straße$ strasse$ str.$ weg$ gasse$ allee$ platz$ damm$ ufer$ chaussee$ straat$ laan$"
        " plein$ gracht$ singel$ dijk$ gatan$ vägen$ vagen$ gade$ vej$ katu$ ring",
        rf"(?<![\w])(?P<de>[A-ZÄÖÜÅØÆ][a-zäöüßåøæé]{{2,30}}(?:{_GERMANIC_SUFFIX}))\s{{0,3}}"
        r"[0-9]{1,4}(?![0-9])"
        r"|(?<![\w])[A-ZÄÖÜ][a-zäöüß]{2,30}(?:er|e|es)\s{1,3}(?:Stra(?:ß|ss)e|Str\.|Weg|Allee"
        r"|Platz|Gasse|Ring|Damm)\s{1,3}[0-9]{1,4}(?![0-9])",
    ),
    (  # Teheran-ro 123, Sejong-daero 110, 12 Sejong-daero, Yeoksam-dong 123-45
        "-ro -daero -gil -dong",
        r"(?<=[A-Za-z]{2})(?:-[0-9]{0,3}[a-z]{1,10})?-(?:ro|daero|gil)\s{0,3},?\s{0,3}[0-9]{1,4}"
        r"(?![0-9])"
        rf"|{_HOUSE_NO},?\s{{1,3}}[A-Za-z]{{2,20}}(?:-[0-9]{{0,3}}[a-z]{{1,10}})?-(?:ro|daero|gil)"
        r"(?![\w])"
        r"|(?<=[A-Za-z]{2})-dong\s{1,3}[0-9]{1,4}-[0-9]{1,4}(?![0-9])",
    ),
    (  # 1-2-3 Nishi-Shinjuku, Shinjuku-ku; 3-chome
        "-ku -shi -cho -machi -gun chome$ chōme$",
        r"(?<![\w-])[0-9]{1,4}-[0-9]{1,4}(?:-[0-9]{1,4})?,?\s{1,3}"
        r"(?:[A-Z][A-Za-z-]{1,30},?\s{1,3}){0,2}[A-Z][a-z]{1,30}-(?:ku|shi|cho|machi|gun)(?![\w])"
        r"|(?<![\w-])[0-9]{1,2}-?(?i:chome|chōme)(?![\w])"
        # Shinjuku-ku Nishi-Shinjuku 2-8-1: the ward first
        r"|(?<![\w])[A-Z][a-z]{1,30}-(?:ku|shi|cho|machi|gun),?\s{1,3}"
        r"(?:[A-Z][A-Za-z-]{1,30},?\s{1,3}){0,2}[0-9]{1,4}-[0-9]{1,4}(?:-[0-9]{1,4})?(?![0-9])",
    ),
    (  # 12 đường Lê Lợi, số 5 phố Huế, ngõ 5, hẻm 34/2, Phường 5; without diacritics only a
        # house number, duong or pho and a capital (12 duong Le Loi)
        "đường phố duong pho ngõ ngách hẻm kiệt phường",
        r"(?<![\w/])[0-9]{1,4}[A-Za-z]?(?:/[0-9]{1,4}){0,2}\s{1,3}"
        r"(?:[Đđ]ường|[Pp]hố|[Dd]uong|[Pp]ho)\s{1,3}(?P<vi>[^\W\d_])"
        r"|(?<![\w])(?:[Nn]gõ|[Nn]gách|[Hh]ẻm|[Kk]iệt)\s{1,3}[0-9]{1,4}(?![0-9])"
        r"|(?<![\w])[Pp]hường\s{1,3}(?:[0-9]{1,2}(?![0-9])|(?P<ward>[^\W\d_]))",
    ),
    (  # 12 Jalan Ampang, No. 22, Jalan Bukit Bintang, Lot 5 Jln Tun Razak: Malaysian and
        # Indonesian order with the number first (not jalan kaki, on foot)
        "jalan jln jl",
        rf"(?:{_HOUSE_NO}|(?<![\w])(?i:no|lot)\.?\s{{0,2}}[0-9]{{1,5}}[A-Za-z]?),?\s{{1,3}}"
        r"(?:[Jj]alan|JALAN|[Jj]ln|[Jj]l)\.?\s{1,3}[A-Z][A-Za-z]{1,30}",
    ),
    (  # Jianguo Lu 88 Hao, Renmin Dajie 5
        "lu jie dajie dadao",
        r"(?<![\w])[A-Z][a-z]{2,20}\s{1,3}(?:Lu|Jie|Dajie|Dadao)\s{1,3}[0-9]{1,4}(?![0-9])",
    ),
    (  # Số 1 Tôn Thất Tùng: a house number and a capitalised street name
        "số",
        r"(?<![\w])[Ss]ố\s{1,3}[0-9]{1,4}[A-Za-z]?(?:/[0-9]{1,4}){0,2},?\s{1,3}"
        r"[A-ZĐ\u00c0-\u00dd\u0102\u01a0\u01af\u1ea0-\u1ef8][a-zđ\u00e0-\u00fd\u0103\u01a1\u01b0\u1ea1-\u1ef9]",
    ),
    (  # MG Road, Bengaluru 560001; Sector 15, Noida 201301: a place and an Indian PIN code
        # (six digits, the first 1-9), in a cell with an Indian locality word or city
        _IN_LOCALITY + " " + " ".join(sorted(_IN_CITIES)),
        r"(?<![\w])(?P<inp>[A-Z][a-z]{2,30}(?:\s{1,3}[A-Z][a-z]{2,30}){0,2}),?\s{1,3}(?:-\s?)?"
        r"[1-9][0-9]{2}\s?[0-9]{3}(?![0-9])",
    ),
    (  # PO Box 123, P.O. Box 123, Postfach 1234, boîte postale 12
        "box postfach postale",
        r"(?<![\w])(?:(?i:p\.?\s?o\.?\s{0,2}box)|Postfach|[Bb]o[iî]te postale)\s{1,3}[0-9]{1,6}"
        r"(?![0-9])",
    ),
)
# German compounds on -weg that are routes of the body or of a treatment, not streets:
# Zugangsweg, Applikationsweg, Infektionsweg, Atemweg, Gallenweg, Harnweg, Therapieweg
_NOT_A_STREET = re.compile(r"(?:s|atem|gallen|harn|therapie|tränen|luft|blut|zugang)weg$")
_STREET_UNITS = frozenset("km mi mile miles metre metres meter meters times x".split())
_ST_SEGMENT = frozenset(
    "elevation elevations depression segment segments changes wave waves".split()
)


def _street_ok(m: re.Match) -> bool:
    """Whether a match of ``_STREET_ADDRESS`` is an address: an English one whose name is no
    phrase of common or clinical words or units (``2 weeks on the road``, ``6 Min Walk``,
    ``5 km road``), whose ``Dr`` or ``St`` is no doctor or ST segment (``3 Months With Dr``,
    ``2 Leads St Elevation``), no ``2 Chi Square``; a French, Spanish or Italian one whose
    name is no common or clinical word (``Via Port 2``, ``c/ Sorafenib 400``)."""
    groups = m.groupdict()
    if groups.get("type") is not None:
        kind = m["type"].lower()
        words = [w.strip(".'’-") for w in m["en"].split()]
        folded = [fold_diacritics(w.lower()) for w in words if w]
        if not folded:
            return False
        weak = [_stop(w) or w in _UNIT_WORDS or w in _STREET_UNITS for w in folded]
        after = (groups.get("after") or "").split()
        if kind == "st" and after and after[0].lower() in _ST_SEGMENT:
            return False
        if kind == "square" and folded[-1] == "chi":
            return False
        if not all(w[0].isupper() for w in words if w):
            # 123 main st: a name in lower case only before a type of its own, no word weak
            return re.fullmatch(_STREET_STRONG, kind) is not None and not any(weak)
        if re.fullmatch(_STREET_STRONG, kind) is None:
            return not any(_stop(w) for w in folded)
        # 5 High Street, 2 North Road: a street's own type takes any capitalised name but a
        # clinical word (Grade 3 Fatigue Lane), and a title needs more (3 Months With Dr)
        if any(_clinical(w) for w in folded):
            return False
        return kind not in ("dr", "st") or not all(weak)
    if groups.get("inp") is not None:
        # a listed city (Bengaluru 560001), or a place after a locality and a comma (Sector 15,
        # Noida 201301); not Platelets 150000, road traffic accident
        words = m["inp"].lower().split()
        if any(_clinical(w) or w in _COMMON_WORDS or w in _UNIT_WORDS for w in words):
            return False
        before = m.string[: m.start()]
        return any(w in _IN_CITIES for w in words) or (
            before.rstrip().endswith(",") and _IN_LOCALITY_WORD.search(before.lower()) is not None
        )
    if groups.get("de") is not None:  # Zugangsweg 2 (access route), Atemweg: no street
        return _NOT_A_STREET.search(groups["de"].lower()) is None
    if groups.get("fr") is not None:
        return not _stop(fold_diacritics(groups["fr"].lower()))
    if groups.get("es") is not None:
        return not _stop(fold_diacritics(groups["es"].lower()))
    capital = groups.get("vi") or groups.get("ward")
    return capital is None or capital.isupper()


# A district or ward by its name, which places a patient below a city as an address does
# (HIPAA: every geographic subdivision smaller than a state): a capitalised name before
# "district" (Dong Da district, Hai Ba Trung District), Quận, Huyện or Xã before a capitalised
# name (Quận Đống Đa, Huyen Gia Lam), a romanised Korean name joined to -gu, -si, -gun, -dong,
# -eup or -myeon (Gangnam-gu, Seongnam-si, Yeoksam-dong). A numbered district (Quận 1,
# District 7) and "district hospital" are not, nor an English region or kind of district named
# by ordinary words (Lake District holiday, Peak District, Financial District: _DISTRICT_WORDS).
_DISTRICT = re.compile(
    r"(?<![\w-])(?P<dn>[^\W\d_][\w'’]{1,20}(?:[\s-]{1,2}[^\W\d_][\w'’]{0,20}){0,3})"
    r"\s{1,3}(?:[Dd]istrict|DISTRICT)(?![\w])"
    r"|(?<![\w])(?:Quận|Quan|QUẬN|QUAN|Huyện|Huyen|HUYỆN|HUYEN|Xã|XÃ)\s{1,3}"
    r"(?P<vn>[^\W\d_]{1,10}(?:\s{1,2}[^\W\d_]{1,10}){0,3})"
    r"|(?<![\w-])(?P<ko>[A-Za-z]{2,16})-(?:gu|si|gun|dong|eup|myeon|GU|SI|GUN|DONG|EUP|MYEON)"
    r"(?![\w-])"
)


# English words that make "… District" a region or a kind of district, not a ward of an address
# (Lake District, Peak District, Financial District, Theatre District, Congressional District);
# here only, as some are names (Lake Bell) and in a street's name they are an address (3 Peak Way)
_DISTRICT_WORDS = frozenset(
    """lake lakes peak peaks coast coastal highland highlands lowland lowlands financial
    business commercial industrial residential historic historical theatre theater arts
    shopping entertainment congressional electoral legislative sanitation irrigation fire
    water""".split()
)


def _district_ok(m: re.Match) -> bool:
    """Whether a match of ``_DISTRICT`` names a place: its words capitalised and (words of a
    stop list before them aside: Lives In Dong Da District) none a common, clinical or place
    word (Rural district, Health District, Quan trong: important); a Korean one's name of one
    to three romanised syllables (not Ding-dong, Kaplan-si)."""
    if m["ko"] is not None:  # written as a name: Gangnam-gu, GANGNAM-GU (not nail-gun)
        ko = m["ko"]
        cased = ko.isupper() or (ko[0].isupper() and ko[1:].islower())
        word = ko.lower()  # a place's name may be a listed place (Bundang-gu, Busan-si)
        if not cased or _KO_PLACE.fullmatch(word) is None:
            return False
        if word in _NOT_NAME_WORDS or word in _COMMON_WORDS or _clinical(word):
            return False
        if len(ko) <= 4 and not m[0].lower().endswith("-gu"):
            return False  # one syllable: a city's Jung-gu, Nam-gu; Dong-gun is a given name
        before = re.findall(r"[A-Za-z]+", m.string[: m.start()])
        # Jang Dong-gun, Park Seo-dong: a name (not lives in Bundang-gu)
        return not before or not before[-1].istitle() or before[-1].lower() not in _KOREAN_SURNAMES
    written = (m["dn"] or m["vn"]).split()
    if m["dn"] is not None:  # the capitalised name just before "district" (went to Dong Da
        # district, holiday in the Lake District): words in lower case or of a stop list go
        while written and (
            not written[0][0].isupper() or _stop(fold_diacritics(written[0].lower()))
        ):
            written = written[1:]
    words = [fold_diacritics(w.lower()) for w in re.split(r"[\s-]+", " ".join(written)) if w]
    if not words or not all(w[0].isupper() for w in written):
        return False
    return not any(_stop(w) or w in _UNIT_WORDS or w in _DISTRICT_WORDS for w in words)


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


# Vietnamese citizen identity number (căn cước công dân, CCCD, since 2016): 12 digits, the
# province of birth registration (a code of Decree 137/2015/ND-CP: 001 Hà Nội ... 079 Hồ Chí
# Minh City ... 096 Cà Mau), a digit of century and sex (0-1 born in the 1900s, 2-3 in the
# 2000s), the two last digits of the birth year and six digits
# Indian ABHA numbers (Ayushman Bharat Health Account, the national health ID): 14 digits
# written 2-4-4-4 (12-3456-7890-1234); as one run of 14 digits they are long digit runs
_ABHA = re.compile(r"(?<![0-9.-])[0-9]{2}([- ])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?![0-9]|[.-][0-9])")
_VN_CCCD = re.compile(r"(?<![0-9.])(0[0-9]{2})([0-3])[0-9]{8}(?![0-9])")
_VN_PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
    035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070
    072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)


def _vn_cccd_ok(m: re.Match) -> bool:
    return m.group(1) in _VN_PROVINCE_CODES


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w.])")
# GPS coordinates: a latitude and a longitude in decimal degrees, four decimals or more (about
# 10 m or finer: a home), lat in [-90, 90] and lon in [-180, 180], perhaps with N/S and E/W;
# not a list of three numbers or more, and not two below 2 (an estimate and its bound, 0.7512,
# 0.9123)
_GPS = re.compile(
    r"(?<![\w.+-])([-+]?[0-9]{1,2}\.[0-9]{4,12})\s?(?:°\s?)?([NSns])?\s*[,;/ ]\s*"
    r"([-+]?[0-9]{1,3}\.[0-9]{4,12})\s?(?:°\s?)?([EWew])?(?![\w.])"
)


# a unit after two numbers: a lesion's position in a scan or two doses, not a place
_GPS_UNIT_AFTER = re.compile(
    r"\s*(?:mm|cm|px|voxels?|m?Gy|[GMk]Bq|m?Ci|mg|µg|ug|ng|g/|IU|U/|HU|ml|mL|%)(?![^\W\d_])"
)


def _gps_ok(m: re.Match) -> bool:
    """Whether two decimal numbers are a latitude and a longitude.

    >>> [_gps_ok(_GPS.search(t)) for t in ("48.85837, 2.29448", "at 45.1234, 12.5432 mm")]
    [True, False]
    """
    lat, lon = float(m[1]), float(m[3])
    before, after = m.string[: m.start()], m.string[m.end() :]
    if re.search(r"[0-9]\s*[,;/ ]\s*$", before) or re.match(r"\s*[,;/ ]\s*[-+]?[0-9]", after):
        return False  # a list of values
    if _GPS_UNIT_AFTER.match(after):
        return False
    return abs(lat) <= 90 and abs(lon) <= 180 and (abs(lat) >= 2 or abs(lon) >= 2)


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


# Singapore NRIC/FIN: S, T, F, G or M, seven digits, a check letter (weights 2 7 6 5 4 3 2; T
# and G add 4, M adds 3; remainder modulo 11 through the series' letter table)
_NRIC = re.compile(r"(?<![A-Za-z0-9])[STFGMstfgm][0-9]{7}[A-Za-z](?![A-Za-z0-9])")


def _nric_ok(m: re.Match) -> bool:
    text = m.group(0).upper()
    total = sum(int(c) * w for c, w in zip(text[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += {"T": 4, "G": 4, "M": 3}.get(text[0], 0)
    r = total % 11
    if text[0] in "ST":
        return "JZIHGFEDCBA"[r] == text[8]
    if text[0] in "FG":
        return "XWUTRQPNMLK"[r] == text[8]
    return "KLJNPQRTUWX"[10 - r] == text[8]


# Malaysian MyKad: the birth date YYMMDD, a two-digit place code and four digits, grouped 6-2-4
# (no check digit: the date and the grouping make the shape; twelve bare digits are a long digit
# run, refused as such)
_MYKAD = re.compile(
    r"(?<![0-9.+])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([- ])[0-9]{2}\1[0-9]{4}"
    r"(?![0-9])"
)
# Hong Kong identity card: one or two letters, six digits, a check digit (0-9 or A) often in
# parentheses. In parentheses the shape is the identifier's own and is refused whatever the
# digit (a mistyped number is still a person's); without them the check digit must hold.
_HKID = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9]{6}(?:\([0-9Aa]\)|[0-9Aa])(?![A-Za-z0-9])")


def _hkid_ok(m: re.Match) -> bool:
    text = m.group(0).upper()
    if "(" in text:
        return True
    letters = text[: len(text) - 7]
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters]
    total = sum(v * w for v, w in zip(values, (9, 8), strict=True))
    total += sum(int(c) * w for c, w in zip(text[-7:-1], range(7, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return text[-1] == ("A" if check == 10 else str(check))


# Chilean RUT/RUN: up to 8 digits (dots between thousands optional), a dash, a modulo-11 check
# digit or K
_RUT = re.compile(r"(?<![0-9.])[0-9]{1,2}\.?[0-9]{3}\.?[0-9]{3}-[0-9Kk](?![0-9A-Za-z])")


def _rut_ok(m: re.Match) -> bool:
    body, check = _digits(m.group(0)[:-1]), m.group(0)[-1].upper()
    total = sum(int(c) * (2 + i % 6) for i, c in enumerate(reversed(body)))
    expected = 11 - total % 11
    return check == {10: "K", 11: "0"}.get(expected, str(expected))


# Mexican CURP: 4 letters (the second a vowel), the birth date, sex, one of the 32 states (or NE,
# born abroad), 3 consonants, a character and a digit. The 18-character structure is specific
# enough that the check digit is not required.
_CURP_STATES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ"
    " YN ZS NE"
).split()
_CURP = re.compile(
    r"(?<![A-Za-z0-9])[A-Z][AEIOUX][A-Z]{2}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[HMX](?:" + "|".join(_CURP_STATES) + r")[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9](?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _ddmmyy_or_yymmdd(six: str) -> bool:
    """Six digits that read as a calendar date, day first (DDMMYY) or year first (YYMMDD)."""
    a, b, c = int(six[:2]), int(six[2:4]), int(six[4:])
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= b <= 12 and 1 <= c <= 31)


def _nordic_ok(m: re.Match) -> bool:
    return _ddmmyy_or_yymmdd(m["date"])


def _pps_ok(m: re.Match) -> bool:
    digits, check, second = m.group(1), m.group(2).upper(), m.group(3).upper()
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    if second:
        total += (0 if second == "W" else ord(second) - 64) * 9
    return check == ("W" if total % 23 == 0 else chr(64 + total % 23))


def _digit_groups(text: str) -> bool:
    """A whole cell of digit groups holding nine digits or more (see :data:`_DIGIT_GROUPS`):
    three groups or more, or two separated by a space (a range 100000-200000 and a decimal
    12345.6789 are two groups), one of at least three digits."""
    text = text.strip()
    if not _DIGIT_GROUPS.fullmatch(text) or len(_digits(text)) < 9:
        return False
    groups = re.findall(r"[0-9]+", text)
    if len(groups) < 2 or (len(groups) == 2 and " " not in text):
        return False
    if max(len(g) for g in groups) < 3:  # 5 10 15 20 25 30: a list of small numbers
        return False
    if _THOUSANDS.fullmatch(text) or _DECIMALS.fullmatch(text):
        return False
    if set(re.findall(r"[ .\-]", text)) == {"-"} and len(_digits(text)) < 13:
        return False  # a study or sample code (2019-0123-001); Thai 1-2345-67890-12-1 has 13
    return not (" " in text and _value_list(text, groups))  # lists are written with spaces


def _value_list(text: str, groups: list[str]) -> bool:
    """Digit groups that read as a list of measurements or years, not an identity number's
    groups: decimals among them (0.5 1000000), every value round to 50 (850 1200 3500, 150000
    200000 250000), every value a year (2019 2020 2021), or values that rise while their lengths
    differ (950 1210 15400). A card's groups have a fixed length (1234 5678 9012) or do not rise
    (2123 45670 1), and a leading zero (1234 010180) marks a group of an identifier.

    Examples
    --------
    >>> [_value_list(t, t.split()) for t in ("850 1200 3500", "2019 2020 2021", "1234 5678 9012")]
    [True, True, False]
    """
    if " " in text and "." in text:
        return True
    if any(len(g) > 1 and g.startswith("0") for g in groups):
        return False
    values = [int(g) for g in groups]
    if all(v % 50 == 0 for v in values) or all(
        len(g) == 4 and 1900 <= v <= 2099 for g, v in zip(groups, values, strict=True)
    ):
        return True
    rising = all(a < b for a, b in zip(values[:-1], values[1:], strict=True))
    return rising and len({len(g) for g in groups}) > 1


def _phone_ok(m: re.Match) -> bool:
    n = len(_digits(m.group(0)))
    return 8 <= n <= 15


_DETECTORS = [
    ("email", "e-mail addresses", _EMAIL, None),
    ("iban", "bank account numbers (IBAN)", _IBAN, _iban_ok),
    ("rrn", _RRN_LABEL, _RRN, None),
    ("nordic", "Nordic personal identity numbers (Danish, Swedish, Finnish)", _NORDIC, _nordic_ok),
    ("nino", "UK National Insurance numbers", _NINO, None),
    ("pps", "Irish PPS numbers", _PPS, _pps_ok),
    ("pan", "Indian PAN numbers", _PAN, None),
    ("mbi", "US Medicare beneficiary identifiers", _MBI, None),
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
    ("abha", "Indian health account numbers (ABHA)", _ABHA, None),
    ("vn-cccd", "Vietnamese citizen identity numbers (CCCD)", _VN_CCCD, _vn_cccd_ok),
    ("nric", "Singapore NRIC/FIN numbers", _NRIC, _nric_ok),
    ("mykad", "Malaysian identity card numbers (MyKad)", _MYKAD, None),
    ("hkid", "Hong Kong identity card numbers", _HKID, _hkid_ok),
    ("rut", "Chilean RUT numbers", _RUT, _rut_ok),
    ("curp", "Mexican CURP codes", _CURP, None),
    ("be-nn", "Belgian national register numbers", _BE_NN, _be_nn_ok),
    ("ahv", "Swiss social security numbers (AHV)", _AHV, _ean13_ok),
    ("thai-id", "Thai national identity numbers", _THAI_ID, _thai_id_ok),
    ("uk-postcode", "UK postcodes", _UK_POSTCODE, None),
    ("zip4", "US ZIP+4 codes", _ZIP4, None),
    ("us-zip", "US city, state and ZIP codes", _US_CITY_ZIP, None),
    ("eircode", "Irish Eircodes (postcodes)", _EIRCODE, None),
    ("passport", "passport numbers", _PASSPORT, None),
    (
        "dot-thousands",
        "numbers of seven or more digits grouped by dots (identity numbers)",
        _DOT_THOUSANDS,
        _dot_thousands_ok,
    ),
    ("address", "street addresses", _STREET_ADDRESS, _street_ok),
    ("district", "district or ward names", _DISTRICT, _district_ok),
    ("url", "web addresses (URLs)", _URL, None),
    ("ip", "IP addresses", _IPV4, None),
    ("gps", "GPS coordinates (location data)", _GPS, _gps_ok),
    ("date", "exact calendar dates", _DATE, None),
    ("phone", "phone numbers", _PHONE, _phone_ok),
    ("hangul", "Korean (Hangul) text, which may be names", _HANGUL, None),
    ("cjk", "Chinese or Japanese characters, which may be names", _CJK, None),
    ("arabic", "Arabic-script text, which may be names", _ARABIC, None),
    ("hebrew", "Hebrew text, which may be names", _HEBREW, None),
    ("indic", "Devanagari or other Indic-script text, which may be names", _INDIC, None),
    ("thai", "Thai, Lao, Burmese or Khmer text, which may be names", _THAI, None),
]
_LABEL = {key: label for key, label, _, _ in _DETECTORS}
_LABEL["name"] = "personal names"
_LABEL["id-digits"] = "hospital registration numbers (7 or more digits)"
_LABEL["record"] = "record numbers named in the cell (MRN, HN, hospital no. …)"
_LABEL["digits"] = "long digit runs (record, account or phone numbers)"
_LABEL["digit-groups"] = "numbers of nine or more digits in groups (identity or account numbers)"
_LABEL["initials-dob"] = "initials followed by a birth date"
_LABEL["counter-dob"] = "a number beside six digits that read as a birth date"
_LABEL["initials"] = "initials"
_LABEL["name-id"] = "personal names followed by a number"

# Record numbers named in the cell: a label (MRN, HN, UHID, or "hospital", "chart", "case",
# "patient" … followed by no./nr/number/#/id), then five or more digits: "MRN 1234567",
# "MRN: 00123", "HN-123456", "Hosp. No. 123456", "chart # 45678", "Nº historia 12345"; or
# a year and a serial number of five or more digits in all, as Indian hospitals write their
# inpatient (IP), outpatient (OPD) and central registration (CR) numbers: "IP No.
# 2023/12345", "OPD No. 2023/456", "CR No. 12345/2023".
# pid (a patient identifier); German compounds: Fallnummer, Patientennummer, Aufnahmenr
_RECORD_STRONG_ID = r"mrn|mrno|uhid|nhc|ipp|emr|ehr|(?:fall|patienten|aufnahme)(?:nummer|nr)"
# in free text also HN, PID and the Australian unit record number (UR, URN: "UR 123456"), which
# a study's codes use in patient_id (HN-001, PID-00012, UR-001)
_RECORD_STRONG = _RECORD_STRONG_ID + r"|hn|pid|urn|ur"
# A record's own words before no./nr/number (MRD: an Indian medical records department's; not
# "case", "patient", "pt", "file", "ip", "op", "cr": a study's pseudonyms use them, so they
# count in free text only, below)
_RECORD_WEAK_ID = (
    r"mr|mrd|med(?:ical)?[\s_.-]?rec(?:ord)?s?|rec(?:ord)?|hosp(?:ital)?|chart|reg(?:istration)?"
    r"|adm(?:ission)?|ipd|opd|dossier|expediente|historia|prontuario|fall|patienten|aufnahme"
    r"|urn?"
)
_RECORD_WEAK = _RECORD_WEAK_ID + r"|case|pat(?:ient)?|pt|file|ip|op|cr"
_RECORD_NO_ID = r"no|nr|nro|num|number|numero|número|n°|#"  # in patient_id: not "id"
_RECORD_NO = _RECORD_NO_ID + r"|id"
_RECORD_AFTER_NO = r"historia|expediente|dossier|prontuario|ficha|hc|nhc"  # Nº historia 123


def _record_pattern(strong: str, weak: str, no: str, start: str = "") -> re.Pattern:
    """A record label (``strong``, or ``weak`` then ``no``, or no. then a record word), then
    five or more digits."""
    return re.compile(
        rf"{start}(?:(?:{strong})|(?:{weak})\.?[\s_-]{{0,2}}(?:{no})"
        rf"|(?:{_RECORD_NO})\.?[\s_-]{{0,2}}(?:de[\s_-])?(?:{_RECORD_AFTER_NO}))"
        r"\.?[\s:#=_.-]{0,3}(?:[A-Za-z]{0,2}[0-9](?:[\s-]?[0-9]){4,15}"
        r"|[0-9]{2,4}/[0-9]{3,8}|[0-9]{3,8}/[0-9]{2,4})(?![0-9])",
        re.IGNORECASE,
    )


_RECORD = _record_pattern(_RECORD_STRONG, _RECORD_WEAK, _RECORD_NO, start="(?<![A-Za-z0-9])")
# The same in patient_id (MRN:887766, Hospital No. 123456, Fallnr 123456), where a study's own
# codes must pass: the label first, a record's own word (not HN, head and neck; PID, case, pt
# or ID, which a study's pseudonyms use), then five or more digits (HN-001, P001, Case 001,
# PID-00012 pass).
_RECORD_IN_ID = _record_pattern(_RECORD_STRONG_ID, _RECORD_WEAK_ID, _RECORD_NO_ID)
# HN (hospital number, as Thai and Vietnamese hospitals write it) or UR, URN (unit record
# number, as Australian ones do) and six to eight digits, the first not 0, as the whole
# patient_id: HN 123456, HN123456, HN: 1234567, UR 123456. A study's own codes with HN (a site,
# Hanoi; a cohort, head and neck) or UR count up from 1 and pad with zeros: HN-001, HN00123,
# HN000123 and UR-001 pass (seven digits padded: the column decides, as for others).
_HN_IN_ID = re.compile(r"(?i:hn|urn?)[\s:#=_.-]{0,3}[1-9][0-9]{5,7}")
# A long number (7 or 8 digits) after any record label, even without "no" (chart 12345678,
# ID: 12345678, Unit 1234567), and a whole cell of one to three letters and 7 or 8 digits
# (H1234567, K-12345678, KR1234567): hospital numbers with their prefix. Trial registries and
# database accessions are not (NCT01234567, KCT0001234, rs12345678).
_RECORD_LONG = re.compile(
    rf"(?<![A-Za-z0-9])(?:{_RECORD_STRONG}|{_RECORD_WEAK}|{_RECORD_NO}|unit|ur|urn|crn|file)"
    r"\.?[\s:#=_.-]{0,3}[0-9]{7,8}(?![0-9])",
    re.IGNORECASE,
)
# With a space or a colon between them (RTH 1234567, RTH: 12345678) the prefix is in capitals
# and no measurement's label (DNA 1234567, PLT 1234567: _MEASURE_NAME's words, or a stop word
# such as AFP or HBV).
_PREFIXED_NUMBER = re.compile(r"(?P<prefix>[A-Za-z]{1,3})(?:-?|(?P<apart>:? ?))[0-9]{7,8}")
_REGISTRY_PREFIXES = frozenset(
    "nct kct rs ss gse gsm gds srr err drr srx prj sam ega umi drk isr jpr ctr pmc pmi doi".split()
)
# what the pre-filters let through for it: a label's last letters (or #, :) before digits
_RECORD_HINT = (
    r"(?i:mrn|uhid|nhc|ipp|emr|ehr|hn|ur|no|nr|num|ber|ero|id|#|:)[\s:#=_.-]{0,3}[A-Za-z]{0,2}"
    r"[0-9]{4}"
)

#: Common given names (with ``_NAME_LEXICON_TEXT``'s surnames they make the name lexicon;
#: names that are both, such as Kim, Lee, Park, Moon, Hong and Foster, are surnames here). A Title-Case pair of a listed given name and a common
#: word is a name (``John Hand``, ``Mary Good``: a surname can be a word); a listed surname and a
#: common word or a place is not (``Moon Face``, ``Park Lane``).
_GIVEN_NAMES_TEXT = """
    john james robert michael william david richard joseph thomas charles christopher daniel
    matthew anthony donald steven paul andrew joshua kenneth kevin brian george edward ronald
    timothy jason jeffrey ryan jacob gary eric jonathan stephen larry justin scott brandon
    benjamin samuel gregory alexander patrick peter harold douglas henry carl arthur roger keith
    jeremy terry lawrence sean albert joe juan jose luis carlos jorge pedro miguel antonio
    francisco manuel javier rafael fernando ricardo alejandro diego sergio pablo andres raul
    eduardo mario roberto alberto jesus ramon enrique hector victor oscar marco luca giuseppe
    giovanni francesco alessandro matteo lorenzo stefano andrea paolo pierre jean michel
    philippe alain nicolas francois jacques bernard christophe laurent olivier thierry hans
    klaus jurgen wolfgang dieter stefan andreas uwe helmut gunter heinz horst
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
    heather diane virginia julie joyce victoria olivia kelly christina lauren judith megan
    cheryl hannah martha jacqueline gloria teresa kathryn janice alice julia judy beverly
    denise marilyn danielle theresa sophia marie diana natalie isabella charlotte carmen lucia
    isabel sofia elena rosa ana pilar mercedes beatriz francesca giulia chiara sophie
    nathalie isabelle sylvie monique ursula petra sabine monika renate ingrid
    ivan sergei sergey dmitri dmitry alexei alexey mikhail nikolai vladimir andrei olga
    natalia tatiana svetlana irina ekaterina yulia
    иван сергеи андреи дмитрии алексеи михаил николаи владимир александр евгении олег
    ольга елена наталья татьяна анна мария ирина светлана екатерина юлия людмила галина
    mohammed muhammad mohamed mohammad ahmed ahmad hassan hussein hussain ali husain omar umar
    khaled khalid abdullah abdul abdel abdelaziz fatima fatma aisha ayesha ibrahim youssef
    yusuf mustafa mahmoud karim nasser tariq hamza zainab mariam maryam
    raj rahul amit sanjay vijay priya anil sunil suresh ramesh rajesh
    minho jiwoo seoyeon
    minh anh linh tuan dung huong thanh hieu quang trung thuy phuong
    an binh cuong duc hai hanh hoa hung khanh lan loan mai nam ngoc nhung phuc quynh tam thao
    thu tien tuyet uyen viet vinh xuan yen
    wei jun hui yan ying jing xin jie lei
    hiroshi takashi satoshi kenji yuki yuko keiko akiko
    jane lucas noah liam ethan chloe lucy ella hugo felix oliver harry louis
    piotr krzysztof tomasz pawel marcin michal lukasz jakub grzegorz wojciech mariusz rafal
    jacek dariusz zbigniew katarzyna malgorzata agnieszka magdalena joanna zofia krystyna
    elzbieta jadwiga danuta grazyna beata dorota
"""

#: Common surnames, and with ``_GIVEN_NAMES_TEXT`` the name lexicon (Latin transliterations
#: from many languages, and Cyrillic), lower case, diacritics folded. A cell of two to four words in one case (``john smith``,
#: ``NGUYEN VAN AN``, ``иванов иван``) is read as a name only when every word is here (particles
#: aside) or one is a Russian patronymic: such cells cannot be told from a short phrase by their
#: shape, and one listed word is not enough (``moon face``, ``foster home``). Words that
#: are also common English or clinical words (Will, Mark, Long, Cox, Ward, May) are left out.
_NAME_LEXICON_TEXT = """
    smith johnson williams jones miller davis wilson anderson taylor jackson harris thompson
    robinson clark lewis walker allen wright adams nelson campbell mitchell roberts phillips
    evans collins edwards stewart murphy morgan cooper peterson richardson watson bennett hughes
    sanders myers foster jenkins perry powell patterson simmons griffin russell garcia rodriguez
    martinez hernandez lopez gonzalez perez sanchez ramirez torres flores rivera gomez diaz
    reyes morales cruz ortiz gutierrez chavez ramos ruiz alvarez castillo jimenez moreno romero
    herrera medina aguilar vargas castro mendoza fernandez silva santos oliveira souza pereira
    ferreira almeida carvalho ribeiro rodrigues gomes martins araujo rossi russo ferrari
    esposito bianchi romano colombo ricci marino greco bruno gallo conti dubois durand leroy
    moreau lefebvre girard dupont lambert fontaine rousseau muller schmidt schneider fischer
    weber meyer wagner becker schulz hoffmann koch richter wolf schroder neumann schwarz
    zimmermann braun kruger hartmann werner krause kowalski nowak wisniewski wojcik kowalczyk
    kaminski lewandowski zielinski kowalska wisniewska kaminska lewandowska zielinska
    wojcikowa szymanski szymanska wozniak dabrowski dabrowska kozlowski kozlowska jankowski
    jankowska kwiatkowski kwiatkowska krawczyk piotrowski piotrowska grabowski grabowska
    nowakowski nowakowska ivanov ivanova smirnov smirnova petrov petrova kuznetsov
    kuznetsova popov popova sokolov volkov fedorov morozov novikov иванов иванова смирнов
    смирнова кузнецов кузнецова попов попова петров петрова соколов соколова волков волкова
    федоров морозов новиков лебедев козлов васильев павлов kumar singh sharma patel gupta reddy
    rao iyer nair mehta joshi agarwal kim lee park choi chung kang yoon jang kwon hwang ahn jeon
    baek seo cho yoo hong yang moon nguyen tran pham hoang huynh phan dang bui ngo duong trinh
    dinh thi wang zhang liu chen huang zhao zhou zhu guo luo zheng liang xie deng feng zeng peng
    xiao cao jiang takahashi tanaka watanabe yamamoto nakamura kobayashi yoshida yamada sasaki
    yamaguchi matsumoto inoue kimura hayashi shimizu suzuki sato truong vo vu ly lam doe martin
    chan wong cheung leung yeung tsang kwok poon tsui hsu hsieh tsai chiang tseng hsiao chuang
    ito kato saito yamazaki ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa
    goto okada hasegawa murakami kondo ishii sakamoto aoki fujii nishimura fukuda miura
    takeuchi nakano okamoto matsuda harada nakagawa tamura kaneko ishida morita shibata
    yokoyama miyazaki miyamoto uchida takagi taniguchi maruyama fujimoto takeda murata
    sugiyama masuda sugawara hirano otsuka iwasaki sakurai kinoshita noguchi nomura kikuchi
    onishi sugimoto ichikawa furukawa mizuno komatsu shimada kojima takayama
    """
#: Romanised Korean surnames (Revised Romanisation and the common older spellings). One counts
#: with a given name of two romanised syllables after it (``Lim Soo-jin``, ``JUNG MINSU``,
#: ``LIM, SOOJIN``) or a hyphenated one before it (``Soo-jin Lim``): such given names are too
#: many to list.
_KOREAN_SURNAMES = frozenset(
    """kim gim lee yi rhee park pak bak choi choe chung jung jeong kang gang cho jo yoon yun
    jang chang lim im yim han oh shin sin seo suh kwon gwon hwang ahn song jeon chun jun hong
    yoo yu ryu go ko koh moon mun yang son sohn bae baek paek heo hur huh nam sim shim noh roh
    ha kwak gwak sung seong cha joo ju woo koo gu min jin ji eom um chae won bang gong hyun
    hyeon kil gil pyo byun byeon yeo choo chu seok suk seon wang kong maeng tak""".split()
)
# one romanised Korean syllable: an initial, a vowel, a final (ㄱ g/k, ㅓ eo, ㅇ ng …)
_KO_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjhyw])?"
    r"(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ou|a|e|o|u|i)(?:ng|[kntlmp])?"
)
_KO_GIVEN = re.compile(rf"{_KO_SYLLABLE}-?{_KO_SYLLABLE}")
_KO_GIVEN_HYPHEN = re.compile(rf"{_KO_SYLLABLE}-{_KO_SYLLABLE}")
# a district's name: two or three syllables (Gangnam, Seongnam), or one of the one-syllable
# names of city districts before -gu (Jung-gu, Seo-gu, Nam-gu; not Ding-dong): _district_ok
_KO_PLACE = re.compile(rf"(?:{_KO_SYLLABLE}){{2,3}}|jung|seo|dong|nam|buk")

#: Words that are never a person's name in a cell: diseases, symptoms, procedures, devices,
#: anatomy, drugs and clinical adjectives (``_CLINICAL_TEXT``), and common English words
#: (``_COMMON_TEXT``), some of which are also surnames (Well, Common, Port), and places
#: (``_PLACE_TEXT``). A capitalised phrase is no name when every word is in these lists
#: (``Tolerated Well``, ``Common Hepatic Artery``), and with one such word it needs stronger
#: evidence (:func:`_capitalised_name`: ``Hickman Catheter`` and ``Moon Face`` are no names,
#: ``John Hand`` is one); a phrase in one case is no name when any word is in them. Drug names
#: are also known by their stems (``_DRUG_SUFFIX``: nivolumab, sorafenib, oxaliplatin).
_CLINICAL_TEXT = """
    hypertension hypertensive diabetes diabetic mellitus asthma gout copd obesity obese
    dyslipidemia hyperlipidemia hypothyroidism hyperthyroidism anemia anaemia thrombocytopenia
    neutropenia leukopenia pancytopenia coagulopathy cardiomyopathy arrhythmia fibrillation
    infarction angina stroke embolism thrombosis varices variceal bleeding hemorrhage
    haemorrhage ascites encephalopathy jaundice icterus cholangitis cholecystitis pancreatitis
    peritonitis sepsis septic pneumonia infection abscess fistula stenosis obstruction
    effusion pleural pericardial edema oedema fever chills rigors nausea vomiting diarrhea
    diarrhoea constipation fatigue malaise anorexia weight loss pain ache abdominal rash
    pruritus itching alopecia mucositis stomatitis neuropathy hiccups cough dyspnea dyspnoea
    insomnia dizziness headache syncope confusion delirium seizure tumour tumor mass nodule
    carcinoma hepatocellular cholangiocarcinoma metastasis metastases metastatic malignancy
    neoplasm adenoma hemangioma haemangioma cyst cirrhotic fibrosis steatosis steatohepatitis
    nash nafld masld alcoholic alcohol viral hbsag hepatic hepatocellular biliary portal
    arterial venous artery arteries vein veins duct ducts lobe lobes segment segments liver
    kidney renal lung lungs pulmonary bone bones brain spleen splenic stomach gastric colon
    colonic rectal bowel duodenal esophageal oesophageal thoracic abdomen pelvic pelvis femoral
    radial brachial jugular subclavian celiac coeliac mesenteric iliac aorta aortic caval
    lymph node nodes nodal adrenal peritoneal omental diaphragm ablation radiofrequency
    microwave cryoablation embolization embolisation chemoembolization chemoembolisation
    radioembolization radioembolisation resection hepatectomy lobectomy segmentectomy
    transplant transplantation transplanted biopsy paracentesis thoracentesis drainage stent
    stenting catheter catheterization port removal insertion placement infusion pump
    angiography arteriography venography ultrasound sonography ct mri pet scan imaging
    radiotherapy radiation sbrt immunotherapy chemotherapy surgery surgical approach access
    puncture ligation banding tips shunt endoscopy colonoscopy gastroscopy dialysis
    transfusion intubation ventilation hospitalization hospitalisation admission discharge
    readmission toxicity adverse event events tolerated tolerance intolerance refractory
    recurrence relapse remission necrosis enhancement washout hypervascular arterialization
    infiltrative diffuse multifocal solitary bilobar unilobar extrahepatic intrahepatic
    invasion thrombus thrombi occlusion patent recanalization
    budd chiari hickman broviac groshong foley seldinger okuda milan kasai whipple roux
    barcelona glasgow karnofsky kaplan meier
    sorafenib lenvatinib regorafenib cabozantinib ramucirumab nivolumab pembrolizumab
    ipilimumab durvalumab tremelimumab atezolizumab bevacizumab tislelizumab sintilimab
    camrelizumab toripalimab donafenib apatinib cisplatin oxaliplatin carboplatin
    fluorouracil epirubicin doxorubicin idarubicin mitomycin gemcitabine capecitabine
    lipiodol entecavir tenofovir lamivudine adefovir interferon sofosbuvir antiviral
    antivirals steroid steroids dexamethasone prednisolone ondansetron morphine
    oral orale oralmente endovenosa endovenoso intravenosa intravenoso arteriosa arterioso
    sottocutanea subcutanea intramuscolare intramuscular sublinguale rettale clinico clinica
    facies cushingoid spatial nursing palliative hospice supportive coli aureus pylori
    difficile diff pneumoniae faecalis faecium albicans aeruginosa
    """
_COMMON_TEXT = """
    the a of and or in on at by to for with without from as is was were be been has had have
    not no yes well good poor fair better worse worsened improved improving stable unchanged
    common rare frequent occasional usual unusual new old recent chronic acute mild moderate
    severe marked minimal slight small large big huge multiple single many few some all none
    home house walker walking cane wheelchair bed rest face moon hand hands foot feet head back
    heart blood chest neck arm leg legs skin eye eyes ear mouth body weight height speckled
    homogeneous nucleolar pattern positive negative reactive nonreactive detected undetected
    high low raised elevated normal abnormal increased decreased reduced present absent
    uses used using given taken seen noted found done performed planned scheduled completed
    refused declined deferred delayed held stopped started continued changed switched
    tolerated tolerating responded responding treated untreated controlled uncontrolled
    removal approach access care follow followed review reviewed advice advised referred
    hotel here there this that these those other others only also again still now then
    adult adults elderly infant infants baby babies teenager teen teens adolescent adolescents
    former current currently ex never ever smoker smokers smoking nonsmoker drinker drinkers
    drinking drinks social heavy light alone lives living lived family relative relatives friend
    friends partner wife husband daughter daughters mother father brother sister children worker
    workers office retired retiree teacher farming housewife homemaker employed unemployed self
    student shaped frame frames zimmer term hour hours wait watch see early late middle aged
    elder race racial
    alert oriented awake conscious unconscious comatose ambulatory ambulant bedridden bedbound
    asymptomatic symptomatic afebrile febrile compliant noncompliant cooperative independent
    dependent frail fit fine ok okay comfortable deceased expired transferred discharged
    admitted readmitted recovered recovering doing feeling informed consented enrolled excluded
    included withdrew withdrawn censored deteriorated deteriorating worsening unwell sick ill
    critical satisfactory unremarkable nurse tube feeding responder responders nonresponder
    nonresponders survivor survivors carrier carriers
    team teams staff doctor doctors physician physicians surgeon surgeons registrar consultant
    consultants resident residents fellow gp oncologist oncologists hepatologist hepatologists
    radiologist radiologists specialist specialists clinician clinicians
    """
_DRUG_SUFFIX = re.compile(
    r"(?:mab|nib|platin|rubicin|uracil|taxel|citabine|mustine|zomib|ciclib|parib|lisib|statin"
    r"|sartan|olol|pril|azole|mycin|cillin|floxacin|cycline|vir|prazole|dipine|gliptin"
    r"|gliflozin|parin|xaban|gatran|sone|olone|semide|thiazide|tidine)$"
)
#: Places and peoples, and the words of place names (countries, regions, cities, nationalities
#: and ethnic groups, geographic nouns): a common word as far as names go (``White British``,
#: ``Han Chinese``, ``Incheon Airport`` are no names). Words that are also common names or
#: surnames are left out (white, black, french, lane, river, abu, kong, hue, son): a place
#: whose words are names is listed whole below.
_PLACE_TEXT = """
    korea korean koreans seoul busan pusan daegu taegu incheon gwangju daejeon ulsan suwon jeju
    gyeonggi gangwon chungcheong jeolla gyeongsang bundang ilsan gimhae china chinese beijing
    peking shanghai guangzhou shenzhen wuhan chongqing tianjin nanjing hangzhou chengdu guangxi
    guangdong fujian sichuan yunnan taiwan taiwanese taipei kaohsiung macau macao kowloon
    mainland japan japanese tokyo osaka kyoto nagoya yokohama sapporo fukuoka okinawa vietnam
    vietnamese viet saigon hanoi mekong thailand bangkok laos lao cambodia cambodian khmer
    myanmar burma burmese singapore singaporean malaysia malaysian malay kuala lumpur penang
    indonesia indonesian jakarta bali java philippines filipino manila cebu india indian delhi
    mumbai bombay chennai madras kolkata calcutta bangalore bengaluru hyderabad pakistan
    pakistani bangladesh bangladeshi nepal nepali lanka sinhalese asian asians europe european
    africa african americas american pacific atlantic islander islanders caribbean arab arabs
    arabic arabia eastern western northern southern oriental caucasian hispanic latino latina
    aboriginal indigenous ethnicity ethnic british scottish irish italian spanish portuguese
    dutch greek polish russian turkish persian egypt egyptian saudi emirates dubai dhabi qatar
    kuwait turkey iran iranian iraq aviv mongolia mongolian uzbekistan kazakhstan mexico mexican
    brazil brazilian argentina colombia peru canada canadian australia australian zealand
    angeles aires janeiro island islands airport harbour harbor avenue creek beach valley
    mountain mountains falls springs village villages town towns rural urban suburb suburban
    countryside overseas abroad
"""
#: Place names whose words are also names (Hong Kong, Thanh Hoa, San Jose, Park Lane): a cell
#: holding one of these phrases reads it as a place; a name needs two more listed names
#: (``Nguyen Thi Thanh Hoa``).
_PLACE_PHRASES_TEXT = """
    hong kong; ho chi minh; ha noi; hai phong; da nang; nha trang; can tho; da lat; vung tau;
    bien hoa; ha long; thanh hoa; nam dinh; binh duong; binh dinh; long an; dong nai;
    quang ninh; quang nam; nghe an; hai duong; bac ninh; thai binh; ha tinh; khanh hoa; an giang;
    kien giang; lam dong; tay ninh; san jose; san francisco; los angeles; buenos aires;
    sao paulo; rio de janeiro; santa maria; tel aviv; abu dhabi; chiang mai; hyde park;
    park lane; victoria falls; alice springs; kim hae; wong tai sin; kwai chung; lai chi kok;
    sha tin; tuen mun; tai po; mong kok; sai ying pun; tseung kwan o; kwun tong; yuen long;
    tsuen wan; sham shui po; chang gung; kwong wah; tung wah; yan chai; pok oi; hsin chu;
    tai chung; tai nan; tai pei; ho man tin; sai kung; tin shui wai; tai wai; siu sai wan;
    chai wan; ma on shan; tsim sha tsui; yau ma tei; kowloon tong; kwai fong; lam tin;
    wong chuk hang; chang hua; chia yi; hua lien
"""
#: Vietnamese clinical and everyday phrases, without their diacritics (as :func:`fold_diacritics` reads
#: them), whose words are also given names or surnames (Bình, Thảo, Đường, Trung, Thành):
#: ``trung bình`` (moderate), ``đái tháo đường`` (diabetes), ``ổn định`` (stable), ``thành thị``
#: (urban). Read like the place names above: a cell or column name holding one is a name only
#: on stronger evidence (``Nguyễn Thị Bình`` is one), except after a common Vietnamese surname
#: or ``Thị``/``Văn``, where such words are a given name (``Nguyễn Thành Công``, ``Trần Trung
#: Bình``). Of 173 Vietnamese clinical and
#: demographic terms, four cells (trung bình, thành thị, Gia Rai, Ba Na) and three column names
#: (đái tháo đường, trung bình, thành thị) were refused as personal names, and 34 column names
#: were masked in messages.
_VI_PHRASES_TEXT = """
    dai thao duong; tieu duong; duong huyet; duong tinh; duong uong; duong tiem; huyet ap cao;
    ung thu; tran dich; co truong; tang truong; tieu hoa; hoa tri; hoa chat; xo hoa; hoi chung;
    trieu chung; bien chung; nhom chung; chan an; an toan; on dinh; chi dinh; xac dinh;
    quyet dinh; dinh luong; dinh ky; tien trien; tien su; tien luong; mot phan; phan do;
    phan loai; phan tram; phan ung; thanh phan; xam lan; lan dau; nhieu lan; binh thuong;
    trung binh; thanh thi; thanh cong; thanh pho; roi loan; cuong giap; cao tan; chieu cao;
    lieu cao; nguy co cao; thu thuat; thu nhap; ly do; quan ly; xu ly; sinh ly; benh ly;
    gia rai; ba na
"""
_VI_PHRASES = frozenset(tuple(p.split()) for p in _VI_PHRASES_TEXT.split(";"))
#: Vietnamese words read as such only when written with their diacritics, as the folded
#: ``_VI_PHRASES`` are without them: their syllables fold to names (Đỗ Thị Hoa, Thị Trấn), and
#: without diacritics a name is the likelier reading in a patient file (``do thi hoa`` stays a
#: name). ``đô thị`` (urban) is no Đỗ Thị, ``thị trấn`` (township) no Trần, ``thị trường``
#: (market) no Trương. A listed name or a capitalised word before one makes it a given name,
#: as for ``_VI_PHRASES``.
_VI_WRITTEN_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in "đô thị hóa; đô thị hoá; đô thị; thị trấn; thị trường".split(";"):
    _VI_WRITTEN_PHRASES.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))
# Vietnamese surnames that are no common word (Đỗ, Hồ, Lê, Lý, Võ are: độ, hồ, lê, lý, võ), and the
# middle names Thị and Văn: a phrase of _VI_PHRASES after one is a given name
_VI_NAME_BEFORE = frozenset(
    "nguyen tran pham hoang huynh phan bui ngo trinh truong dang vuong thi van".split()
)


def _vi_name_before(word: str, capitalised: bool | None) -> bool:
    """Whether ``word`` (lower case, folded), written with a capital or not, makes a phrase of
    ``_VI_PHRASES`` after it a given name: any listed name or capitalised word, a Vietnamese
    surname, ``Thị`` or ``Văn``."""
    return bool(capitalised) or word in _VI_NAME_BEFORE or word in _NAME_LEXICON


#: Russian patronymics (Сергеевич, Ивановна): a Cyrillic word ending so is part of a full name.
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична)$")


# A cheap pre-filter: a cell can only hold one of the above if it contains '@', a character
# outside ASCII, a run of 7 digits, digits joined by a separator, six letters and a digit (a
# codice fiscale), two letters, two digits and more (an IBAN), a letter before " 9AA" (a UK
# postcode), a month name next to digits, letters separated by space, comma or dot, or the end
# of a record-number label before digits (MRN:12345), a digit before masking stars
# (850101-1******); most pseudonymous ids (P001, SYN0042)
# and plain numbers fail every branch at once.
_CANDIDATE = re.compile(
    r"@|://|www\.|[^\x00-\x7f]|[0-9]{7}|[0-9][-/. ()+]{1,3}[0-9]|[A-Za-z]{6}[0-9]"
    r"|[A-Za-z]{2}[0-9]{2} ?[A-Za-z0-9]{4}|[A-Za-z] [0-9][A-Za-z]{2}|[A-Za-z][0-9][0-9Ww] [A-Za-z0-9]{4}"
    r"|[0-9][\s.,-]{1,3}[A-Za-z]{3}|[A-Za-z]{3}\.?[\s-]{1,3}[0-9]"
    r"|[A-Za-z][\s,_]+[A-Za-z]|[A-Za-z][.:]\s{0,3}[A-Za-z]|[0-9][- ]?[*xX]{2}"
    r"|[A-Za-z]{5}[0-9]{4}[A-Za-z]|[1-9][A-Za-z][A-Za-z0-9][0-9]-?[A-Za-z]"
    r"|[A-Za-z]-(?i:san|sama|sensei|kun|chan|ssi|nim|gu|si|gun|dong|eup|myeon)\b|" + _RECORD_HINT
)


# Letters and digits only (most pseudonymous ids): only runs of digits, a codice fiscale, an
# IBAN (15 or more characters) or a record-number label before digits (MRN12345) can be an
# identifier.
_ALNUM_CANDIDATE = re.compile(
    r"[0-9]{7}|[A-Za-z]{6}[0-9]|[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11}|[A-Za-z]{2}[0-9]{6}[A-Da-d]"
    r"|[A-Za-z]{5}[0-9]{4}[A-Za-z]|[1-9][A-Za-z][A-Za-z0-9][0-9][A-Za-z]|" + _RECORD_HINT
)


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


# letters that have no decomposition but a plain Latin reading (Søren, Łukasz, Æsa, Weiß)
_FOLD_EXTRA = str.maketrans(
    {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
     "ł": "l", "Ł": "L", "ß": "ss", "þ": "th", "Þ": "TH", "ð": "d", "ı": "i"}
)  # fmt: skip


def fold_diacritics(text: str) -> str:
    """``text`` without diacritics (Nguyễn Văn Đức -> Nguyen Van Duc, Søren -> Soren), so any
    Latin-script name matches the ASCII patterns (Cyrillic й reads и, ё reads е).

    The identifier guard reads names through it; the cohort validator reads a sex written as a
    word through it ("nữ" is "nu").

    Examples
    --------
    >>> fold_diacritics("Nguyễn Văn Đức"), fold_diacritics("Weiß"), fold_diacritics("nữ")
    ('Nguyen Van Duc', 'Weiss', 'nu')
    """
    if text.isascii():  # nothing to fold (and most cells, at once)
        return text
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# German names with umlauts, also as an export without them writes them (ü as ue: Mueller,
# Schroeder, Juergen): hans_müller was refused as a patient_id, hans_mueller passed
_UMLAUT_NAMES = """müller schröder schäfer köhler jäger krüger böhm könig günther jürgen jörg
    möller hübner fröhlich kühn gärtner schütz böttcher förster""".split()
_NAME_LEXICON = (
    frozenset(fold_diacritics(w) for w in (_GIVEN_NAMES_TEXT + _NAME_LEXICON_TEXT).split())
    | frozenset(fold_diacritics(w) for w in _UMLAUT_NAMES)
    | frozenset(w.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue") for w in _UMLAUT_NAMES)
)
# the stoplists never hold a listed name (Moon and Foster are names, so "moon face" and "foster
# home" pass only because face and home are no names)
_CLINICAL_WORDS = frozenset(_CLINICAL_TEXT.split()) - _NAME_LEXICON
_COMMON_WORDS = frozenset(_COMMON_TEXT.split()) - _NAME_LEXICON
_PLACE_WORDS = frozenset(_PLACE_TEXT.split()) - _NAME_LEXICON
_GIVEN_NAMES = frozenset(fold_diacritics(w) for w in _GIVEN_NAMES_TEXT.split()) & _NAME_LEXICON
_PLACE_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in (_PLACE_PHRASES_TEXT + ";" + _VI_PHRASES_TEXT).split(";"):
    _PLACE_PHRASES.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))
_NAME_PARTICLES = frozenset(_PARTICLE.strip("(?:)").split("|"))


#: Vietnamese surnames and middle names, as (folded, written) pairs: a surname, a middle name
#: and one or two given names make a name in any case (``LÊ VĂN HƯNG``, ``do thi hoa``), though
#: ``le`` and ``van`` are particles and Đỗ, Hồ, Lê, Lý and Võ are also words (độ, hồ, lê, lý,
#: võ). Written with diacritics, a word must be the name's own spelling (``đô thị hóa``, urban
#: growth, is no name); without them, ``do thi hoa`` reads as Đỗ Thị Hoa.
_VI_SURNAMES = {
    fold_diacritics(w): w
    for w in """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý trương
    đinh lâm trịnh vương""".split()
}
_VI_MIDDLE_NAMES = {
    fold_diacritics(w): w for w in "văn thị đức hữu ngọc minh quang thành xuân công".split()
}


def _vi_full_name(words: list[str], *, cued: bool = False) -> bool:
    """Whether ``words`` (lower case, not folded) are a Vietnamese surname, a middle name and
    one or two given names (listed ones, or words of two to seven letters that are no stop
    word): ``lê văn hưng``, ``ho van nam``, ``vo van kiet``, but not ``ho chi minh city``.
    ``cued``: after a word that introduces a person (``seen by nguyen van an``), a given name
    may also be a common word or a place (an, son, long), though no label or clinical word."""
    if not 3 <= len(words) <= 4:
        return False
    folded = [fold_diacritics(w) for w in words]
    for word, plain, table in zip(words, folded, (_VI_SURNAMES, _VI_MIDDLE_NAMES), strict=False):
        if plain not in table or word not in (plain, table[plain]):
            return False
    return all(
        w in _GIVEN_NAMES
        or (
            2 <= len(w) <= 7
            and w.isascii()
            and not (_clinical(w) or w in _NOT_NAME_WORDS if cued else _stop(w))
        )
        for w in folded[2:]
    )


def _vi_short_name(words: list[str]) -> bool:
    """Whether ``words`` (lower case, not folded) are a Vietnamese surname that is also a word
    or a particle (Lê, Đỗ, Hồ, Lý: ``le``, ``do``, ``ho``, ``ly``) and one or two listed names
    of three letters or more: ``le hoang``, ``LE MINH``, ``do thanh tam``; not ``le van``
    or ``le thi`` (a middle name, no given name), ``ho an`` or ``do hai lan`` (twice)."""
    if not 2 <= len(words) <= 3:
        return False
    folded = [fold_diacritics(w) for w in words]
    if folded[0] not in _VI_SURNAMES or words[0] not in (folded[0], _VI_SURNAMES[folded[0]]):
        return False
    given = folded[1:]
    if folded[0] in _NAME_LEXICON or folded[0] in given:
        return False  # nguyen, pham …: _all_names reads them; pham pham is no name
    return (
        all(
            w in _NAME_LEXICON and len(w) >= 3 and w not in _SYLLABLE_WORDS and not _stop(w)
            for w in given
        )
        and not any(w in _VI_WORD_AFTER_NUMBER for w in given)
        and given[-1] not in ("thi", "van")
    )


# in unaccented Vietnamese a number word before a listed name is a count (hai lan, ba lan:
# twice, three times), so a short name with one of these is none
_VI_WORD_AFTER_NUMBER = frozenset("lan".split())
# Vietnamese surnames that anchor a name inside prose, in any case (nguyen, tran, pham …); the
# other surnames of _VI_SURNAMES are also words or particles (le, do, ho, ly, vo, vu; dang and
# phan: đang, now, phần, part, phân thùy, lobe) and anchor one only written with a capital and
# with a middle name (seen by Le Van Hung; TACE Ho Chi is no name), or after a word of
# _NAME_CUES (seen by le hoang)
_VI_PROSE_SURNAMES = frozenset("nguyen tran pham hoang huynh bui ngo trinh truong vuong".split())
# unaccented Vietnamese words that are also given names (lần, times; thứ, -th; hai, two; năm,
# year; ăn, eat; tâm, tạm; tiến, tiền; hóa; bình; dùng, use; trung, central; thành; đang, now):
# after a surname in lower-case prose they read as the phrase (tran lan, widespread; lan thu 2)
_VI_PROSE_WORDS = frozenset("lan thu hai ba nam an tam tien hoa binh dung trung thanh dang".split())
_PROSE_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)?")
# Words that introduce a person (seen by, referred by, Dr, BS: bác sĩ, BN: bệnh nhân, patient,
# Mr, ông, bà): after one, any Vietnamese surname, in any case, and one given name make a name
# (seen by le hoang today, bn le hoang tai kham), by the strict rules of a whole cell
# (_vi_short_name, _vi_full_name); lower-case words that begin with a surname's spelling stay
# phrases (bn dang dieu tri: đang, now; bs ho tro: hỗ trợ, support)
# (discussed with le hoang). The English ones (_EN_NAME_CUES, discussed with) also introduce a
# name from another language (_cued_name_in_prose: seen by john smith, pt maria garcia lopez)
_EN_NAME_CUES = frozenset("by dr doctor pt patient mr mrs ms".split())
_NAME_CUES = _EN_NAME_CUES | frozenset("bs bn ông bà".split())
_EN_NAME_CUE_PAIRS = frozenset({("discussed", "with")})
_NAME_CUE_PAIRS = _EN_NAME_CUE_PAIRS | frozenset(
    {("bác", "sĩ"), ("bac", "si"), ("bệnh", "nhân"), ("benh", "nhan")}
)
# the cues before which a verb may stand (pt will, patient may): no given name of
# _WORD_GIVEN_NAMES after them
_SUBJECT_CUES = frozenset("pt patient".split())
_CUE_WORDS = _EN_NAME_CUES | {w for pair in _EN_NAME_CUE_PAIRS for w in pair}
#: Given names that are also common words (Will, Mark, Grace, May), left out of the name
#: lexicon: after a cue of ``_EN_NAME_CUES`` but ``_SUBJECT_CUES`` (``seen by``, ``Dr``,
#: ``Mr``, ``discussed with``), and first, before a listed surname, one is a given name (``seen
#: by will smith``, ``discussed with may wong``; not ``by may 2023``, ``pt will park``).
_WORD_GIVEN_NAMES = frozenset(
    "will mark grace hope may june rose sandy april dawn faith joy ray bill jack frank".split()
)


def _vi_name_in_prose(text: str) -> bool:
    """Whether ``text``, a cell of three or more words, holds a Vietnamese name among other
    words: a surname of ``_VI_PROSE_SURNAMES`` and the one to three words after it (any
    Vietnamese surname written with a capital and the two or three words after it), read as a cell of their own by
    :func:`_looks_like_name` (``seen by nguyen minh at ward 3``, ``BN Tran Van Minh tai kham``),
    none in a listed place (``TACE at Ho Chi Minh City``); not ``tran dich mang phoi``
    (effusion) nor ``nguyen nhan`` (cause), which that reads as phrases, nor a hospital named
    after a person (``transferred to Tran Hung Dao hospital``: a surname up to three words
    before hospital, clinic, center … names the institution, as in file names, unless with the
    middle name Thị or Văn). After a word of ``_NAME_CUES`` (``seen by``, ``Dr``, ``BN``) any
    Vietnamese surname in any case and the words after it count by the rules of a whole cell
    in one case: :func:`_vi_full_name` (``seen by nguyen van an``, any given name but a label or
    clinical word) and :func:`_vi_short_name` (``seen by le hoang today``; not ``bn do hai``,
    ``bn ho nam vien``, words of ``_VI_PROSE_WORDS``)."""
    tokens = list(_PROSE_WORD.finditer(text))
    written = [t[0].lower() for t in tokens]
    folded = [fold_diacritics(w) for w in written]
    place = _in_place_name(
        folded, caps=[t[0][0].isupper() for t in tokens], written=written
    )  # TACE at Ho Chi Minh City: no Ho Chi
    for i, m in enumerate(tokens):
        word, plain = written[i], folded[i]
        if plain not in _VI_SURNAMES or word not in (plain, _VI_SURNAMES[plain]):
            continue  # đang (now) is no Đặng
        strong = plain in _VI_PROSE_SURNAMES
        cued = (i and written[i - 1] in _NAME_CUES) or tuple(written[i - 2 : i]) in _NAME_CUE_PAIRS
        if not strong and not cued and not m[0][0].isupper():
            continue
        for size in (4, 3, 2) if strong or cued else (4, 3):
            span = tokens[i : i + size]
            if len(span) != size or size >= len(tokens) or any(place[i : i + size]):
                continue
            gaps = [text[a.end() : b.start()] for a, b in zip(span, span[1:], strict=False)]
            if any(g.strip() for g in gaps):  # words apart, not across a comma or a digit
                continue
            plain_span = folded[i : i + size]
            if len(set(plain_span)) < size:
                continue  # nguyen nguyen: a word twice
            if _INSTITUTION_AFTER_NAME & set(written[i + 1 : i + 5]) and not {"thi", "van"} & set(
                plain_span[1:]
            ):
                continue  # Tran Hung Dao hospital: the institution, as in file names
            spelt = written[i : i + size]
            if cued and _vi_full_name(spelt, cued=True):
                return True  # seen by nguyen van an: a middle name, whatever the given one
            if not any(t[0][0].isupper() for t in span) and _VI_PROSE_WORDS & set(plain_span[1:]):
                continue  # tran lan, hoang thu, (bn) ho nam vien: a phrase in lower case
            if cued and _vi_short_name(spelt):
                return True  # seen by le hoang, bn le hoang tai kham
            if (strong or m[0][0].isupper()) and _looks_like_name(
                " ".join(t[0] for t in span), prose=False
            ):
                return True
    return False


def _cued_name_in_prose(text: str) -> bool:
    """Whether ``text`` (canonical, diacritics folded), a cell of three or more words, holds a
    name from another language than Vietnamese after an English cue (a word of
    ``_EN_NAME_CUES``, ``discussed with``): two or three words apart, in any case, that are a
    listed given name and a listed surname in either order, none a short word
    (``_SYLLABLE_WORDS``, fewer than three letters) or an unaccented Vietnamese word
    (``seen by john smith today``, ``pt maria garcia lopez``, ``patient tanaka hiroshi``), also
    with a middle initial between them (``seen by john t smith``, ``John T. Smith``), or a
    listed surname, a comma and a listed given name or a capital initial with its dot (``seen by
    smith, john``, ``Smith, J.``), or a capital initial with its dot before a capitalised listed
    surname (``seen by J. Smith``), or a romanised Korean, Chinese or Japanese name as a whole
    cell (``referred by kim min-jun``, ``seen by zhang xiaoming``); not a name before an
    institution's word (``referred by mary johnson hospital``). A given name of
    ``_WORD_GIVEN_NAMES`` counts first before a surname (``seen by will smith``), though not
    after ``pt`` or ``patient``, nor after a comma (``seen by smith, will review``).

    >>> [_cued_name_in_prose(v) for v in ("seen by john smith", "by will smith", "pt will park")]
    [True, True, False]
    >>> [_cued_name_in_prose(v) for v in ("by John T. Smith", "by smith, john", "by lee, a nurse")]
    [True, True, False]
    """
    tokens = list(_PROSE_WORD.finditer(text))
    words = [t[0].lower() for t in tokens]
    for i in range(1, len(tokens) - 1):
        pair = tuple(words[i - 2 : i])
        if words[i - 1] not in _EN_NAME_CUES and pair not in _EN_NAME_CUE_PAIRS:
            continue
        subject = words[i - 1] in _SUBJECT_CUES
        for size in (4, 3, 2):
            span = tokens[i : i + size]
            if len(span) != size:
                continue
            spelt = words[i : i + size]
            if size == 4 and not any(len(w) == 1 or w in _NAME_PARTICLES for w in spelt[1:3]):
                continue  # four words only with an initial or a particle inside
            gaps = [text[a.end() : b.start()] for a, b in zip(span, span[1:], strict=False)]
            shape = _cued_shape(spelt, gaps, [t[0] for t in span])
            if shape is None:
                continue
            after = words[i + size : i + size + 2]
            if after and (
                after[0] in _INSTITUTION_AFTER_NAME
                or (after[0] in _INSTITUTION_QUALIFIERS and _INSTITUTION_AFTER_NAME & set(after))
            ):
                continue  # Mary Johnson Hospital: the institution
            if any(_in_place_name(spelt)):
                continue  # hong kong team
            if shape == "comma" or shape == "initial first":
                return True  # smith, john; Smith, J.; J. Smith: checked by _cued_shape
            names = [  # maria de la cruz: no initial, no particle inside
                w
                for j, w in enumerate(spelt)
                if len(w) > 1 and not (0 < j < size - 1 and w in _NAME_PARTICLES)
            ]
            if _given_and_surname(names, word_given=not subject):
                return True
            if shape == "apart":
                joined = " ".join(t[0] for t in span)
                if _korean_name(joined) or _romanised_name(joined, in_id=False):
                    return True
    return False


# the gaps a cued name may have: words apart; an initial (with or without its dot) before the
# next word; a comma after a surname
_GAP_APART = re.compile(r"\s+")
_GAP_AFTER_INITIAL = re.compile(r"\.?\s+")
_GAP_COMMA = re.compile(r"\s*,\s*")


def _cued_surname(word: str) -> bool:
    """A listed surname of three letters or more (no given name) that is no word: the first of
    ``smith, john``, ``Lee, John``, the second of ``J. Smith``, ``J. Lee``."""
    return (
        word in _SURNAMES
        and word not in _GIVEN_NAMES
        and len(word) >= 3
        and word not in _VI_PROSE_WORDS
        and not _stop(word)
    )


def _cued_shape(words: list[str], gaps: list[str], written: list[str]) -> str | None:
    """How the words after a cue may be a name, by their gaps (:func:`_cued_name_in_prose`):
    ``"apart"`` (two or three words apart, four with a particle inside), ``"initial"`` (one middle initial among two or three
    words: ``john t smith``, ``John T. Smith``), ``"comma"`` (a listed surname, a comma, then a
    listed given name or a capital initial with its dot, checked here: ``smith, john``,
    ``Smith, J.``), ``"initial first"`` (a capital initial, its dot, a capitalised listed
    surname, checked here: ``J. Smith``); None for any other."""
    size = len(words)
    if all(_GAP_APART.fullmatch(g) for g in gaps) and (
        size <= 3 or _NAME_PARTICLES & set(words[1:-1])  # maria de la cruz
    ):
        return "apart"
    if size == 2 and _GAP_COMMA.fullmatch(gaps[0]) and _cued_surname(words[0]):
        second = words[1]
        if second in _GIVEN_NAMES and second not in _SYLLABLE_WORDS and len(second) >= 3:
            return "comma"  # (Smith, J. is decided with its dot, by a span of three)
    if size == 3 and _GAP_COMMA.fullmatch(gaps[0]) and _cued_surname(words[0]):
        initial = len(words[1]) == 1 and written[1].isupper()
        if initial and gaps[1].startswith("."):
            return "comma"  # Smith, J. reviewed
    if size == 2 and len(words[0]) == 1 and written[0].isupper():
        if gaps[0].startswith(".") and _GAP_AFTER_INITIAL.fullmatch(gaps[0]):
            if written[1][0].isupper() and _cued_surname(words[1]):
                return "initial first"
        return None
    initials = [j for j, w in enumerate(words) if len(w) == 1]
    if size in (3, 4) and len(initials) == 1 and 0 < initials[0] < size - 1:
        j = initials[0]
        if all(
            (_GAP_AFTER_INITIAL if k == j else _GAP_APART).fullmatch(g) for k, g in enumerate(gaps)
        ):
            return "initial"
    return None


# A verb of care before "by" (seen by, reviewed by, examined by, assessed by): after one, two
# words that no list knows make a name (seen by kavya reddy today), as a team, a role or a
# service after such a cue is made of known words (seen by day team, seen by the registrar).
# After "referred by" two unknown words are as often a hospital and its city (cmc vellore,
# pgimer chandigarh, kaiser permanente, royal marsden), so there one of them must be a listed
# name in its place: a given name first (referred by priya adeyemi) or a surname second
# (referred by olumide sharma; not queen mary)
_CARE_VERBS = frozenset("seen reviewed examined assessed referred".split())
_CARE_CUE = re.compile(r"(?i)(?<![^\W\d_])(?:seen|reviewed|examined|assessed|referred)\s+by\s")
#: Roles, teams and services: after "seen by" they are what the words before them describe
#: (``seen by ward nurse``, ``seen by macmillan nurse``, ``referred by kaiser clinic``).
_CARE_ROLE_TEXT = """
    nurse nurses sister matron midwife midwives doctor doctors physician physicians surgeon
    surgeons registrar registrars reg regs spr sho consultant consultants resident residents
    fellow fellows intern interns houseman officer officers trainee trainees student students
    attending attendings hospitalist hospitalists intensivist intensivists anaesthetist
    anaesthetists anesthetist anesthetists therapist therapists physio physios chaplain
    chaplains priest imam rabbi interpreter interpreters translator worker workers counsellor
    counselor counsellors paramedic paramedics crew practitioner practitioners provider
    providers locum locums team teams service services unit units clinic clinics department
    dept depts division firm mdt mdm board panel committee outreach liaison specialist
    specialists coordinator coordinators navigator keyworker manager managers lead director
    head chief staff colleague colleagues partner partners associate assistant assistants
    technician technicians technologist sonographer sonographers radiographer radiographers
    phlebotomist porter carer carers caregiver caregivers nursing midwifery pharmacy
    pharmacist pharmacists dietitian dietician dietitians dieticians psychologist psychiatrist
    gp gps np pa ot slt group practice office desk line cover rota oncall round rounds ward
    wards bay theatre theatres lab hospital hospitals centre center ed er icu hdu itu opd ipd
    """
#: Specialties, qualifiers of a role, determiners, times and other words that stand after "seen
#: by" (``seen by hepatobiliary surgeons``, ``seen by our team``, ``seen by everyone today``).
_CARE_WORDS_TEXT = """
    hepatology gastro gastroenterology gi surgery surgical medical medicine oncology onc medonc
    clinonc radonc haematology hematology heme haem renal nephrology cardiology cardio cardiac
    respiratory resp pulmonology chest thoracic neurology neuro neurosurgery neurosurgical
    ortho orthopaedic orthopedic orthopaedics orthopedics trauma urology uro gynae gyn
    gynaecology gynecology obstetrics obs obgyn ent ophthalmology ophthal eye dermatology derm
    endocrine endocrinology endo diabetes diabetic rheumatology rheum infectious id
    microbiology micro virology psych psychiatry psychology paediatric pediatric paeds peds
    geriatric geriatrics elderly palliative pall supportive pain hospice rehab rehabilitation
    radiology ir interventional vascular plastic plastics breast colorectal upper lower hpb
    hepatobiliary transplant liver acute emergency ae critical intensive anaesthetics
    anesthesia anaesthesia dental maxfax stroke tb sexual gum nutrition nutritional dietetic
    dietetics speech language occupational social general internal family primary secondary
    tertiary community district home visiting outpatient outpatients inpatient inpatients
    private public local outside external regular usual own covering admitting receiving
    referring treating operating duty night day evening weekend morning afternoon senior
    junior middle grade foundation specialty tumour tumor cancer hepatobiliary pancreatic
    biliary upper multidisciplinary joint combined shared virtual remote telephone phone
    video tele telehealth telemedicine email letter post chemo chemotherapy radiotherapy
    haemodialysis dialysis endoscopy imaging scan nurse-led
    the a an our his her their your my its this that these those another both each every
    either neither all any some one two three several same whole entire whom which who
    me myself us them him everyone someone anyone nobody somebody else other others many most
    more few various numerous multiple different previous former foreign overseas unknown
    people person persons man men woman women lady ladies gentleman gentlemen guy guys child
    children kid kids boy boys girl girls baby parent parents mom mum mother dad daddy aunt
    uncle cousin cousins grandson granddaughter grandmother grandfather grandparents niece
    nephew sons daughters spouse fiance fiancee neighbour neighbor neighbours neighbors
    client clients patients member members owner employer employee employees boss driver
    police lawyer lawyers solicitor court judge church pastor village villagers elders leader
    leaders volunteer volunteers expert experts stranger strangers insurance insurer company
    agency authority council government ministry official charity ngo program programme
    project research records record system computer report reports notes letters camera photo
    ambulance army military school teacher teachers special personal professional official
    international federal legal mental physical emotional religious spiritual traditional
    herbal alternative native young younger older little big full real true best great
    experienced qualified trained certified licensed
    today yesterday tonight tomorrow earlier later again twice once before after prior since
    during while when then now already first last next recently previously just also only
    still even please kindly urgently promptly routinely jointly together separately
    ayurvedic homeopathic unani siddha tcm healer healers herbalist vaidya hakim sinseh bomoh
    sangoma curandero
    clinical trial trials study studies trialist trialists investigator investigators sponsor
    monitor monitors auditor auditors reader readers reviewer reviewers assessor assessors
    rater raters observer observers adjudicator adjudicators panel committee board blinded
    blind independent central
    """
#: The same words in other languages, as notes that mix them with English write them, without
#: their diacritics (``seen by dokter jaga``, ``seen by medecin traitant``, ``seen by khoa
#: ngoai``): Vietnamese, Spanish, Portuguese, French, German, Italian, Malay and Indonesian,
#: Turkish, romanised Korean and Japanese.
_CARE_WORDS_ABROAD_TEXT = """
    khoa ngoai noi truc bac benh vien dieu duong kham cap cuu hoi chan
    medico medica doctora enfermera enfermero enfermeira equipo equipe servicio servico cirugia
    cirurgia cirujano cirujana cirurgiao interno interna residente guardia plantao adjunto
    adjunta urgencias cabecera tratante familia oncologia
    medecin traitant infirmiere infirmier chef clinique garde chirurgien chirurgienne
    coordinatrice coordinateur
    arzt arztin aerztin hausarzt hausarztin oberarzt oberarztin chefarzt stationsarzt
    assistenzarzt facharzt pflege schwester chirurgie dienst heute station
    dottore dottoressa infermiere infermiera chirurgo reparto curante specializzando
    dokter doktor jaga perawat jururawat bangsal kepala wad pakar spesialis bedah
    hemsire kadin uzman asistan cerrah nobetci
    gyosu juchiui jeonmuui jeongong ganhosa sensei senmon senmoni shujii ishi kangoshi jisa
    """
#: What stands after "assessed by" or "examined by" when it is a measure, a test or a method,
#: not a person (``assessed by serum bilirubin``, ``assessed by grip strength``, ``examined by
#: contrast ultrasound``): laboratory values, scores, imaging, response criteria, samples.
_MEASURE_WORDS_TEXT = """
    serum plasma urine bilirubin albumin creatinine urea sodium potassium calcium glucose lactate
    ammonia ferritin iron platelet platelets count counts clearance alpha beta gamma fetoprotein
    pivka carboxy prothrombin inr ptt aptt fibrinogen haemoglobin hemoglobin hb wbc neutrophil
    neutrophils lymphocyte lymphocytes crp esr alt ast alp ggt ldh amylase lipase troponin bnp
    hba1c egfr cea ca19 marker markers level levels value values titre titer load dna rna hbeag
    anti antibody antigen visual analogue numeric scales scores albi meld kps tnm clip grip
    strength gait speed walk bmi circumference muscle frailty performance status exam
    naked contrast enhanced dynamic triphasic multiphasic gadoxetic eob ceus doppler duplex
    fibroscan fibrotest shear wave transient uptake phases diameter size volume volumetry
    signal viable nodules margin margins radiograph angiogram xray x-ray cbct beam spect
    lirads li-rads easl ctcae core needle specimen smear stain swab culture cultures frozen
    patency flow folfox rfa mwa sirt tare symptom symptoms signs complaint complaints history
    questionnaire survey interview diary diaries log logs call calls visits followup tests
    assay assays methods
    """
#: Plain English words of notes and case report forms that stand after "seen by", "assessed
#: by" or "examined by" in a phrase, not a name (``assessed by fluid balance``, ``examined by
#: slit lamp``, ``seen by tissue bank``, ``reviewed by patient safety``): nouns of findings,
#: measures, the body, devices, tests and services; adjectives of care; eponyms of scores that
#: are rarely surnames; the same words of notes that mix English with Italian, Spanish, French,
#: German, Malay, Indonesian and Turkish. None is a given name or a common surname (no mark,
#: grace, white, key, major, short, deep, trust, root, holder, berg, wells, rawat, phong).
_NOTE_WORDS_TEXT = """
    appearance balance change changes chart charts check checks category cause consensus
    device devices feature features film films findings fluid fluids item items lamp lamps
    leak leaks length measure measures model number numbers outcome outcomes output outputs
    pressure pressures profile profiles protein proteins rate rates ratio result results rise
    risk risks shape sounds stand steps stool stools tap taps threshold time times tool tools
    trend trends trough view views safety distress refill per bladder breath cell cells form
    gradient growth guidance indices slice slices spine triceps biceps skinfold skinfolds
    four five six seven eight nine ten twelve twenty thirty ninety hundred
    screen screens table tables sleep policy policies sequences genotype phenotype reminder
    reminders inspector inspectors guideline guidelines template templates audit audits
    register registers website web online internet message messages text texts leaflet
    booklet image images slide slides array arrays strip strips dipstick readings answer
    answers domain domains subscale subscales inventory battery ratings vote votes opinion
    opinions consult consults encounter encounters contact contacts episode episodes stay
    stays course courses agent agents drug tablet tablets pill pills capsule capsules life
    age end air case cases point points crisis note file files entry entries code codes
    label labels box tick sheet sheets book card cards bundle bundles pack packs set sets step
    plan plans goal goals target targets limit limits range ranges cutoff cutoffs map plot
    plots curve curves graph graphs
    support food prison challenge survival overall limb intake appetite anxiety autopsy mortem
    birth pregnancy menopause gender healthcare helpline hotline lounge meals mood odour
    oxygen water zinc copper barium bile marrow organ nuclear fetal maternal neonatal
    perinatal antenatal postnatal spinal anal sacral plantar synovial rigid serial smooth
    straight pure brief repeat spot peak pulse reflex impulse tremor thrill turgor girth
    exudate ulcer seroma stoma recovery rescue retrieval transfer escort shift floor interval
    burden effect concern injury enzyme membranes exercise holiday travel coach champion clerk
    advisor visitor prescriber examiner professor link exchange misuse harm debt drop arrest
    crash cross lying wedged timed genetic genomic kinetic ascitic aseptic caloric electron
    lean glass lens patch prick punch shave wedge coil brush band cuff pad heel tendon pupil
    stair climb tilt clock machine angle honorary competent convalescent autoimmune
    antimicrobial bimanual postal municipal dispensary formulary citizen robotic guardian dye
    sirius
    calf finger fingers gland hernia hip knee nerve rectum scar scars teeth thigh throat
    thyroid tissue tongue vessel vessels wound wounds speculum capillary
    calipers caliper dynamometer dynamometers thermometer hammer fork torch scope probe probes
    cannula drain drains bag mask tape meter glucometer oximeter stethoscope otoscope
    ophthalmoscope microscope endoscope app software tracker trackers wearable sensor sensors
    crutches trolley chair swallow enema aspirate manometry cholangiogram spirometry oximetry
    dynamometry planimetry touch indocyanine eus fna ebus tbna ercp mrcp
    rapid slow total daily weekly monthly annual fixed mobile portable handheld bedside manual
    automated digital verbal written vaginal dual double triple superficial plain simple
    standard modified structured formal informal routine urgent elective operative
    postoperative preoperative perioperative intraoperative invasive minor open closed wet
    dry hot cold warm soft hard wide narrow thick direct indirect soluble basic minimum
    maximum mean median average estimated expected observed predicted residual absolute
    global peripheral lateral subjective objective radiological cosmetic functional
    cognitive incisional dermal thrombotic textbook stem suite delivery transport energy
    initial partial essential potential sequential differential spatial substantial
    residential confidential visual virtual individual gradual sexual
    hostel shelter camp camps room rooms pathway track route process scheme network
    alliance hub base bureau consortium registry database governance assurance affairs
    incident incidents huddle meetings conference catering estates laundry
    domestic welfare benefits bleep recurrence occurrence substance distance
    clavien dindo barthel karnofsky waterlow caprini baveno banff jamar okuda romberg
    glasgow edmonton bristol richmond
    pronto soccorso ambulatorio epatologia epatologo specialista ospedale chirurgia turno
    primario medicina quirurgico jefe jefa consulta hepatologia urgentiste urgences hopital
    bloc notarzt stationsarztin pflegekraft hausarztpraxis ambulanz praxis klinik
    krankenhaus notaufnahme bidan desa praktik puskesmas kesihatan jabatan kecemasan rawatan
    ruang pegawai perubatan bertugas umum rumah sakit daerah acil servis servisi dahiliye
    genel cerrahi cerrahisi aile hekim hekimi saglik ocagi poliklinik hastane hastanesi
    ekibi barangay pariksha hospitalier hospitaliere clinicien clinicienne psychologue
    pharmacien paliatif gizi ahli nutrisi ruangan sosyal hizmet hizmetleri diyetisyen
    fizyoterapist psikolog bugun kinesitherapeute ergotherapeute assistante sociale
    fisioterapeuta terapeuta ocupacional trabajador familiar gestora sozialdienst
    physiotherapeutin palliativdienst tecnico tecnica radio aide soignante soignant
    manipulateur manipulatrice auxiliar enfermeria forense uzmani asistani yogun bakim bacsi
    chuyenkhoa petugas farmasi pembantu pelatih masyarakat
    """
_CARE_ROLES = frozenset(_CARE_ROLE_TEXT.split())
_CARE_WORDS = (
    frozenset(_CARE_WORDS_TEXT.split())
    | frozenset(_CARE_WORDS_ABROAD_TEXT.split())
    | frozenset(_MEASURE_WORDS_TEXT.split())
    | frozenset(_NOTE_WORDS_TEXT.split())
    | _CARE_ROLES
)
# English word endings no name has, for a word no list holds (cardiothoracic aside): the
# specialties, conditions and procedures (-ology, -ologist, -ician, -ectomy, -itis), nouns of
# action and quality (-tion, -ment, -ness, -ity) and longer words in -ing (nursing, imaging;
# not ming, ling)
_WORD_ENDING = re.compile(
    r"(?:olog(?:y|ist|ists|ie|ia|o|ue|ues)|oloji|ician|icians|itian|itians|ists?|ics|[ts]ions?|ments?|ness|it(?:y|ies)"
    r"|iatrics?|graphy|scopy|ectomy|otomy|plasty|itis|osis|a?emia|pathy|ship|hood|wards?)$"
    r"|.{3,}ing$"
    # adjectives: -ical, -ous, -ive (not clive, olive), -ary and -ory (not mary, hillary, rory,
    # gregory, mallory), -able, -ible, -less, -ful (not saiful, ashraful), long words in -ic
    # (not the -ic of eric, dominic, cedric, frederic, ivanovic, kostic, lukic: short, or after
    # v, k, j, z or r), and -al only after in, on, ur, ect, it, en, er, ul (not kamal, bilal,
    # vishal, mittal, goyal, bansal, bernal, sonal, meral, chantal)
    r"|^.{2,}ical$|^.{3,}ous$|^.{2,}[cstv]ive$|^.{3,}[intd]ary$|^.{3,}(?:at|it|s|ct)ory$"
    r"|^.{4,}[ai]ble$|^.{3,}less$|^.{3,}[^ai]ful$|^.{5,}[^vkjzr]ic$|^.{3,}tric$"
    r"|^.{3,}(?:in|on|ur|ect|it|en|er|ul)al$|^.{2,}ular$"
    # nouns: -ure, -ance and -ence (not lance, vance, chance, constance, prudence, patience,
    # clemence, clarence, florence, terence, terrence, torrance), -gram, -graph, -meter,
    # -scope, -ysis, -esis (not genesis), -uria, -oma (not paloma, chioma)
    r"|^.{4,}ures?$|^.{2,}(?:[^dtr]ance|[^dmri]ence|[^r]rance)$|^.{3,}erence$|^.{4,}stance$"
    r"|^.{3,}gra(?:ms?|phs?)$|^.{3,}[oi]met(?:ers?|ry)$|^.{3,}scopes?$|^.{2,}ysis$|^.{4,}esis$"
    r"|^.{3,}uria$|^.{2,}(?:in|den|an|ph|rc|t|p|br)omas?$"
    # long words in -ate (proportionate, intermediate, adequate; not kate, renate, colgate)
    r"|^.{5,}ate$"
    # long agent nouns in -ator (calculator, ventilator; not salvator)
    r"|^.{5,}ators?$"
    # past participles (modified, structured, reported, masked, wedged), not the names in -ed:
    # ahmed, mohammed, hamed, samed, saeed, rasheed, reed, jared, fred, alfred, mildred,
    # khaled, javed, naved, rashed, rached, sayed, zayed, seyed, saied, maged, magued, juned,
    # siegfried, winfried
    r"|^.{3,}(?:ted|[^eay]sed|ked|[dnr]ged|(?<!f)[^eao]ied|[lrio]ved|zed|rmed|[ion]ned|[eou]red"
    r"|[^a]led|ped|ded|tched|[^a][cs]hed|wed|xed|[^g]ued|ced)$"
)
#: Given names that are also words with an English ending (:data:`_WORD_ENDING`), as in Nigeria,
#: Ghana, Kenya, Zimbabwe and the Philippines: these stay names after a verb of care (``seen by
#: blessing okafor``, ``seen by precious moyo``).
_NAMES_WITH_A_WORD_ENDING = frozenset(
    """
    blessing precious patience silence prudence fortune loveness charity trinity felicity
    serenity verity unity clemence marvellous glorious happiness goodness kindness fleming
    manning channing innocent
    """.split()
)
_UNLISTED_WORD = re.compile(r"(?:[^\W\d_]['’])?[^\W\d_]{2,20}(?:['’-][^\W\d_]{2,20})?")


def _care_plural(word: str) -> bool:
    """Whether ``word`` is the plural of a care or common word (``teams``, ``specialties``,
    ``scores``)."""
    stems = (word[:-1], word[:-2], word[:-3] + "y") if word.endswith("s") else ()
    return any(stem in _CARE_WORDS or _stop(stem) for stem in stems)


def _unknown_word(word: str) -> bool:
    """A word (lower case, folded) that no list of this module knows: no stop, care, role or
    note word (``_NOTE_WORDS_TEXT``: ``balance``, ``lamp``, ``capillary``), none with an
    English word's ending (:data:`_WORD_ENDING`: ``operative``, ``masked``) unless a listed
    name or one of ``_NAMES_WITH_A_WORD_ENDING`` (``precious``, ``blessing``), no listed given
    name that is also a word (``_WORD_GIVEN_NAMES``), no word without a vowel (``sms``), no
    hyphenated word whose last part is known (``five-times``).

    >>> [_unknown_word(w) for w in ("kavya", "balance", "operative", "precious", "ivanovic")]
    [True, False, False, True, True]
    """
    if "-" in word:  # five-times, sit-to-stand, same-day: the last word known (not lily-rose)
        last = word.rsplit("-", 1)[1]
        if len(last) >= 3 and last not in _NAME_LEXICON and not _unknown_word(last):
            if last not in _WORD_GIVEN_NAMES:
                return False
    if len(word) >= 3 and not re.search(r"[aeiouy]", word):  # sms, ptld, ctg: no name
        return False
    return not (
        _stop(word)
        or word in _CARE_WORDS
        or _care_plural(word)
        or word in _WORD_GIVEN_NAMES
        or word in _SYLLABLE_WORDS
        or (
            word not in _NAME_LEXICON
            and word not in _NAMES_WITH_A_WORD_ENDING
            and _WORD_ENDING.search(word) is not None
        )
    )


def _unlisted_cued_name(text: str) -> bool:
    """Whether ``text`` (canonical, diacritics folded) holds a name outside the lexicon after a
    verb of care and ``by`` (``seen by``, ``reviewed by``, ``referred by``, ``examined by``,
    ``assessed by``): exactly two words after it, in lower case or both capitalised, of three
    letters or more, each unknown to every list here (:func:`_unknown_word`), then the cell's
    end, a punctuation mark or a known word that is no role (``seen by kavya reddy today``,
    ``Seen by Kavya Reddy.``, ``seen by john o'brien``); after ``referred by`` one of the two
    a listed name in its place, a given name first or a surname second (``referred by priya
    adeyemi``, not ``referred by cmc vellore``, ``queen mary``). Not a team, a role or a service
    (``seen by day team``, ``seen by hepatobiliary surgeons``, ``referred by oncology clinic``,
    ``seen by macmillan nurse``), nor words in capitals (``seen by HPB MDT``), nor three unknown
    words (``referred by kaiser permanente northwest``: an institution as likely).

    >>> [_unlisted_cued_name(v) for v in ("seen by kavya reddy", "referred by cmc vellore")]
    [True, False]
    """
    tokens = list(_PROSE_WORD.finditer(text))
    words = [t[0].lower() for t in tokens]
    for i in range(2, len(tokens) - 1):
        if words[i - 1] != "by" or words[i - 2] not in _CARE_VERBS:
            continue
        span = tokens[i : i + 2]
        if len(span) != 2 or not _GAP_APART.fullmatch(text[span[0].end() : span[1].start()]):
            continue
        written = [t[0] for t in span]
        if not all(
            _UNLISTED_WORD.fullmatch(w) and len(w) >= 3 and not w.isupper() for w in written
        ):
            continue  # seen by HPB MDT: capitals are acronyms; md anderson
        if written[0][0].isupper() != written[1][0].isupper():
            continue  # seen by Hepatology reg: mixed case reads as a phrase
        first, second = words[i], words[i + 1]
        if first == second or not (_unknown_word(first) and _unknown_word(second)):
            continue
        if words[i - 2] == "referred" and not (
            (first in _GIVEN_NAMES and second not in _NAME_LEXICON)
            or (second in _NAME_LEXICON and second not in _GIVEN_NAMES)
        ):
            continue  # referred by cmc vellore, by queen mary: a hospital as often
        if i + 2 < len(tokens):
            after = words[i + 2]
            if after in _CARE_ROLES or after in _INSTITUTION_AFTER_NAME or _unknown_word(after):
                continue  # kaiser permanente northwest, macmillan cancer nurse
        if any(_in_place_name([first, second])):
            continue
        return True
    return False


def _given_and_surname(words: list[str], *, word_given: bool) -> bool:
    """Whether ``words`` (lower case, folded) are all listed names, a given name and a surname
    among them, none short or an unaccented Vietnamese word; ``word_given``: the first may be
    a given name of ``_WORD_GIVEN_NAMES``."""
    if len(set(words)) < len(words):
        return False
    given = surname = False
    for j, w in enumerate(words):
        if len(w) < 3 or w in _VI_PROSE_WORDS:
            return False
        if w in _GIVEN_NAMES and w not in _SYLLABLE_WORDS:
            given = True
        elif w in _NAME_LEXICON and w not in _GIVEN_NAMES:
            surname = True
        elif not (j == 0 and word_given and w in _WORD_GIVEN_NAMES):
            return False
        else:
            given = True
    return given and surname


# two to four words of letters in any script, or "surname, given names": the shape of a name
# written in one case (john smith, SMITH JOHN, иванов иван иванович, smith, john)
_LW = r"[^\W\d_]{2,}(?:[-'’][^\W\d_]{2,})?"
_PLAIN_NAME = re.compile(rf"{_LW}(?:\s+{_LW}){{1,3}}|{_LW}\s*,\s*{_LW}(?:\s+{_LW}){{0,2}}")

#: Invisible characters removed before matching: zero-width spaces and joiners, word joiner,
#: soft hyphen, byte-order mark, bidirectional marks (``850101-12\u200b34567``).
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def canonical(text: str) -> str:
    """``text`` as every rule reads it: invisible characters removed, Unicode NFKC (full-width
    digits, letters and punctuation become ASCII, a no-break space a space), then decimal
    digits of any script read as 0-9, dashes as ``-`` and any space as a plain space. ASCII text is
    returned unchanged (and at once).

    Examples
    --------
    >>> canonical("８５０１０１－１２３４５６７"), canonical("850101\u00a012\u200b34567")
    ('850101-1234567', '850101 1234567')
    >>> canonical("٨٥٠١٠١–١٢٣٤٥٦٧")  # Arabic-Indic digits, an en dash
    '850101-1234567'
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch < "\x80":
            out.append(ch)
            continue
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            out.append(str(digit))
            continue
        category = unicodedata.category(ch)
        out.append("-" if category == "Pd" or ch == "\u2212" else " " if category == "Zs" else ch)
    return "".join(out)


def _clinical(word: str) -> bool:
    return word in _CLINICAL_WORDS or (len(word) >= 6 and _DRUG_SUFFIX.search(word) is not None)


def _stop(word: str) -> bool:
    """A word that is never a name: a label, clinical or common word, a place, or a drug."""
    return (
        word in _NOT_NAME_WORDS or word in _COMMON_WORDS or word in _PLACE_WORDS or _clinical(word)
    )


def _in_place_name(
    words: list[str],
    only: frozenset | None = None,
    caps: list[bool] | None = None,
    written: list[str] | None = None,
) -> list[bool]:
    """Which of ``words`` (lower case, folded) belong to a listed place name whose words are
    also names (``hong kong``, ``thanh hoa``, ``san jose``) or a Vietnamese phrase of
    ``_VI_PHRASES`` (``trung binh``); ``only``: of these phrases only. A phrase of
    ``_VI_PHRASES`` after a listed name, a Vietnamese surname, ``Thị``/``Văn`` or (``caps``:
    which words were written with a capital) any capitalised word is a given name
    (``Lê Thành Công``, ``Võ Thành Công``, ``Đỗ Trung Bình``); alone or after lower-case
    words (``mức độ trung bình``, ``bệnh nhân ổn định``) it is the clinical phrase.
    ``written``: the same words in lower case before folding, for the phrases of
    ``_VI_WRITTEN_PHRASES`` (``đô thị``), which count only so spelt."""
    if caps is not None and len(caps) != len(words):
        caps = None
    marks = [False] * len(words)
    for i, word in enumerate(words):
        for phrase in _PLACE_PHRASES.get(word, ()):
            if only is not None and phrase not in only:
                continue
            if phrase in _VI_PHRASES and i and _vi_name_before(words[i - 1], caps and caps[i - 1]):
                continue  # Nguyễn Trung Bình, Lê Thành Công: a given name, not "moderate"
            if tuple(words[i : i + len(phrase)]) == phrase:
                marks[i : i + len(phrase)] = [True] * len(phrase)
    if written is None or len(written) != len(words):
        return marks
    for start, end in _phrase_spans(written, _VI_WRITTEN_PHRASES):
        if start and _vi_name_before(words[start - 1], caps and caps[start - 1]):
            continue  # Nguyễn thị trấn: a middle and a given name
        marks[start:end] = [True] * (end - start)
    return marks


def _caps(text: str) -> list[bool]:
    """For each word of letters in ``text``, whether it begins with a capital."""
    return [w[0].isupper() for w in re.findall(r"[^\W\d_]+", text)]


# an initial (J. Smith, Smith J.) or "surname, given name": a cell written out as a name
_WRITTEN_AS_NAME = re.compile(rf"(?<![{_UP}{_LOW}]){_INITIAL}|,")


def _capitalised_name(words: list[str], text: str, written: list[str] | None = None) -> bool:
    """Whether a cell shaped like a capitalised name (``_NAME``) is one, given its ``words``
    (lower case, folded). A phrase without a clinical or common word, a place or a place name
    stays a name on its shape (``John Smith``, ``Grace Park``; two unknown capitalised words,
    too). One with such a word (a weak word) needs stronger evidence, because listed names are
    also words and places (``Moon Face``, ``Hong Kong``, ``Park Lane``, ``Young Adult``): two
    listed names among its other words (``Nguyen Thi Thanh Hoa``), an initial or a comma
    (``Kim J. Hand``, ``Hand, John``), or a listed given name first (``John Hand``, ``Mary Good``:
    surnames can be words). A phrase of weak words only (initials aside) is never a name."""
    place = _in_place_name(words, caps=_caps(text), written=written)
    kept = [
        (w, p or _stop(w))
        for w, p in zip(words, place, strict=True)
        if len(w) > 1 and w not in _NAME_PARTICLES
    ]
    if not kept or all(weak for _, weak in kept):
        return False
    if not any(weak for _, weak in kept):
        return True
    strong = [w for w, weak in kept if not weak]
    return (
        sum(w in _NAME_LEXICON for w in strong) >= 2
        or _WRITTEN_AS_NAME.search(text) is not None
        or (not kept[0][1] and kept[0][0] in _GIVEN_NAMES)
    )


def _clinical_phrase(words: list[str]) -> bool:
    """A capitalised phrase of clinical or common words (``Diabetes Mellitus``, ``Tolerated
    Well``, ``Hickman Catheter``): every word a stop word, or one clinical and none a listed
    name. Initials and particles are left aside."""
    words = [w for w in words if len(w) > 1 and w not in _NAME_PARTICLES]
    if not words:
        return False
    if all(_stop(w) for w in words):
        return True
    return any(_clinical(w) for w in words) and not any(w in _NAME_LEXICON for w in words)


def _all_names(words: list[str], written: list[str] | None = None) -> bool:
    """A text in one case is a name only when it looks like a whole one: two or more words
    (particles and a place name such as ``thanh hoa`` aside), each a listed given name or
    surname, or one of them a Russian patronymic (сидоров игорь петрович), and none a stop
    word."""
    place = _in_place_name(words, written=written)
    words = [w for w, p in zip(words, place, strict=True) if not p and w not in _NAME_PARTICLES]
    if len(set(words)) < 2 or any(_stop(w) for w in words):  # a place name, one name at most
        return False  # (or one word twice: chân, chẩn)
    if any(_PATRONYMIC.search(w) for w in words):
        return True
    return all(w in _NAME_LEXICON for w in words)


# A title before a capitalised word, anywhere in the cell: Mr. Tanaka, Dr García, seen by Dr Kim,
# Frau Weber, Hr. Müller, Sig. Rossi, Señora Pérez, Monsieur Dupont, Dhr. Jansen, Dott.ssa
# Bianchi, Dr. med. Hoffmann (the cell is
# read with its diacritics folded); the short forms Hr, Fr, Sr, Sig need their dot
_TITLED = re.compile(
    r"(?<![A-Za-z])(?:(?:Mr|Mrs|Ms|Mx|Dr|Dra|Prof|Mme|Mlle|Herr|Frau|Sra|Srta|Dhr|Mevr|Mevrouw"
    r"|Monsieur|Madame|Mademoiselle|Signora|Signor|Senora|Senor|Senhora|Senhor|Sig\.ra|Sig\.na"
    r"|Dott\.ssa|Dr\.ssa|Prof\.ssa|Dott)"
    r"\.?|(?:Hr|Fr|Sr|Sig)\.)"
    r"(?:\s+(?:med|dent|vet|rer|nat|phil|jur|habil)\.){0,3}"  # Dr. med. Hoffmann, Dr. rer. nat.
    rf"\s+(?P<word>{_WORD}|{_CAPS})(?![\w-])"
)
# A patient named by a label, anywhere in the cell: Patient: Müller, Pt. Schmidt, Pat Weber,
# Paciente: García, Pt: Chan. The label is no title: what follows it is a status or a field as
# often (Patient: Alert, Pt. Stable, Pat. Verstorben, Pt. Status, Paciente: Edad), so the word
# must be a listed surname of three letters or more (not Le, Ng, nor Son or Song, which are
# words too) and no common or clinical word. An unlisted surname after a label passes.
_PATIENT_NAMED = re.compile(
    r"(?<![A-Za-z])(?:Patient(?:in)?|Pt|Pat|Paciente|Patiente|Paziente|Pte)\s{0,2}[.:]?"
    rf"\s{{0,3}}(?P<word>{_WORD}|{_CAPS})"
)


# A Japanese or Korean honorific after a name: Tanaka-san, suzuki-sama, Kim-ssi, Park-nim, or
# apart at the end of a phrase (Tanaka san, Suzuki sama.)
_HONORIFIC_AFTER = re.compile(
    rf"(?<![\w-])(?P<word>{_WORD}|{_CAPS}|[a-z]{{2,20}})"
    r"(?:-(?i:san|sama|sensei|kun|chan|ssi|nim)|\s{1,2}(?:san|sama|sensei)(?=\s{0,2}(?:[,.;:)!?]|$)))"
    r"(?![\w-])"
)

_HONORIFIC_WORD = re.compile(r"san|sama|sensei|kun|chan|ssi|nim")

# A title in lower case before a listed surname (seen by dr kim, dr. lee reviewed, mrs tanaka):
# the capitalised title is _TITLED's. Only a listed surname of three letters or more that is no
# common or clinical word (dr review, mr imaging, ms lesions, mr angiography pass), and of the
# syllables a surname shares with an English word (_SYLLABLE_WORDS) only those that read as no
# word here (dr lee, dr tan; not mr long, mr son)
_LOWER_TITLED = re.compile(
    r"(?<![^\W\d_])(?:dr|mr|mrs|ms|prof)\.?\s{1,3}"
    r"(?P<word>[^\W\d_]{3,20}|[^\W\d_]{2,20}-[^\W\d_]{2,20})(?![\w-])"
)
_LOWER_TITLE_HINT = re.compile(r"dr|mr|ms|prof")
_WORD_SYLLABLES = frozenset(
    "bang ding dong dung gang hung long pan sin son song sun sung tang".split()
)


def _lower_titled_surname(word: str) -> bool:
    """Whether ``word`` (lower case, folded), after a title in lower case, is a surname: a listed
    one of three letters or more that is no given name (``dr john``: a first name alone, as by
    itself), word or syllable of ``_WORD_SYLLABLES`` (``dr kim``, ``mrs tanaka``), or two listed
    surnames joined by a hyphen, none a given name or a word, one of them such a surname (``dr
    kim-lee``, ``mrs park-choi``, ``dr ng-tan``; not ``mr long-term``, ``ms non-relapsing``)."""
    parts = word.split("-")
    if len(parts) == 2:
        return all(
            p in _SURNAMES and p not in _GIVEN_NAMES and not _stop(p) for p in parts
        ) and any(_lower_titled_surname(p) for p in parts)
    return (
        word in _SURNAMES
        and word not in _GIVEN_NAMES
        and not _stop(word)
        and word not in _WORD_SYLLABLES
        and len(word) >= 3
    )


def _titled_name(text: str) -> bool:
    """A title or a patient label before a name anywhere in ``text`` (diacritics folded), or
    an honorific after one: ``Mr. Tanaka``, ``Frau Weber``, ``Patient: Mueller``, ``Pt.
    Schmidt``, ``Tanaka-san``; not ``Dr Normal``, ``Patient: Stable`` or ``Pt. Status``."""
    if any(not _stop(m["word"].lower()) for m in _TITLED.finditer(text)):
        return True
    # each pattern only where its words can be (a substring test is cheaper than a search)
    lower = text.lower()
    if _LOWER_TITLE_HINT.search(text):
        for m in _LOWER_TITLED.finditer(text):
            if _lower_titled_surname(fold_diacritics(m["word"])):
                return True
    honorifics = _HONORIFIC_AFTER.finditer(text) if _HONORIFIC_WORD.search(lower) else ()
    for m in honorifics:
        before = re.findall(r"[^\W\d_]+", text[: m.end("word")].lower())  # Hong Kong san
        if not _stop(before[-1]) and not _in_place_name(before)[-1]:
            return True
    if "Pt" not in text and "Pa" not in text:
        return False
    for m in _PATIENT_NAMED.finditer(text):
        word = m["word"].lower()
        if any(_stop(part) for part in re.split(r"[-'’]", word)):  # Patient: Child-Pugh A
            continue
        if word in _SURNAMES and len(word) >= 3 and word not in _SYLLABLE_WORDS:
            return True
    return False


def _korean_name(text: str) -> bool:
    """A romanised Korean name: a listed surname and a given name of two syllables (Lim Soo-jin,
    JUNG MINSU, LIM, SOOJIN), or a hyphenated given name and the surname (Soo-jin Lim)."""
    parts = re.split(r"\s*,\s*|\s+", text.lower().strip())
    # a syllable of a hyphenated given name may be a short word (Jae-in, Su-a, Ha-on)
    if len(parts) != 2 or any(_stop(w) for p in parts for w in (p, *p.split("-")) if len(w) > 2):
        return False
    if any(_in_place_name(parts)):
        return False
    first, second = parts
    if first in _KOREAN_SURNAMES and len(second) <= 11 and _KO_GIVEN.fullmatch(second):
        return True
    return second in _KOREAN_SURNAMES and _KO_GIVEN_HYPHEN.fullmatch(first) is not None


#: Common Chinese surnames in pinyin (the Korean ones are ``_KOREAN_SURNAMES``). One counts
#: only with a given name of one or two pinyin syllables beside it, in either order, and the
#: cell nothing else (``wang_fang``, ``li_na``, ``Zhang Xiaoming``): see :func:`_romanised_name`.
_CN_SURNAMES = frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo
    zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang
    yu du ye cheng wei su lu ding ren shen yao jin tan zou xiong qian qin""".split()
)
# one pinyin syllable, tone marks folded (an initial, a final)
_PINYIN = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie"
    r"|iu|ua|uo|ue|ui|er|a|o|e|i|u)"
)
_CN_GIVEN = re.compile(rf"(?:{_PINYIN}){{1,2}}")
_KO_ONE = re.compile(_KO_SYLLABLE)
_CN_ONE = re.compile(_PINYIN)
#: Short English words spelt like a pinyin or Korean syllable, which the stop lists do not
#: hold (he ran, go on, ha ha): never a given name beside a surname of two letters
_SYLLABLE_WORDS = frozenset(
    """a an i o e so go do ho me we he she ye hi ok oh ah eh uh ha ma pa la ya yo jo mo
    lo man men ran run sun son bin can fan pan ten pen win wing ring sing king long song
    hang gang tang ding ping dong tea die lie tie pie sue due hue cue bee lee tee wee
    rain gain main pain sin tin pin din bun fun gun nun sung rung hung lung dung bang
    sang rang ban tan van wan den hen yen zen yin yang jin chin shin thin ban bao ciao
    sine mine line nine fine wine dine pine tine done gone none bone tone zone lone cone
    one on in un""".split()
)
#: Chinese surnames as Hong Kong and Macau (Cantonese), Singapore and Malaysia (Hokkien,
#: Teochew) and Taiwan (Wade–Giles) spell them: Chan, Wong, Cheung, Ng, Tan, Lim, Hsu, Tsai.
#: One counts with a given name of two syllables of ``_HK_TW_GIVEN`` (``chan tai man``,
#: ``Hsu Mei-ling``, ``tan boon keng``, ``wong_kawai``), or of one joined by ``_`` or ``.``
#: (``hsu_mei``), and the cell nothing else; see :func:`_romanised_name`.
_HK_TW_SURNAMES = frozenset(
    """chan wong cheung leung lau ng yeung tsang chow kwok fung tse mak yip poon kwan tsui chiu
    hui siu lai tam cheng choi chung ho lam yau yuen shek tan lim goh ong teo koh chua yeo hsu
    hsieh tsai kuo chiang liao chou yeh chien tseng hsiao chuang shih chao chang chen lin huang
    wu wang li yang lu su""".split()
)
#: Syllables of such given names, in the same spellings (Tai Man, Ka Wai, Siu Ming, Chi Keung,
#: Boon Keng, Mei-ling, Chih-wei, Shu-fen): listed, as a pattern would also take English words
#: (not hai, Vietnamese for two: ho hai lan, coughed twice, is no Ho Hai Lan).
_HK_TW_GIVEN = frozenset(
    """ah bo boon bun chak chau che cheuk chi chih chia chieh chien chin ching chit chiu choi
    chok chong chor chu chuan chuen chun chung eng fai fan fat fei fen feng fong fook fu fuk
    fung ha hang hao hau hei heng him hin hing ho hock hoi hok hon hong hsiang hsiao hsien
    hsin hsing hsiu hsuan hua huat hui hung hwa hwee jen ju jung ka kai kam kan kar kat kee kei
    keng keung kheng kiat kin king kit kiu kok kong kow kuan kuen kuo kwai kwan kwok kwong lai
    lam lan lap lee lei leung li liang lien lik lin ling lok long lui lun lung man mei meng min
    ming miu mui nam ngai ngan ngok oi on pak pei peng pik ping po pok pui sai sam san sang sek
    seng shan sheng sheung shi shih shing shu shuk shun si sik siew sin sing siu soo sook sui
    suk sum sun sung sze tai tak tat teck ting tong tsai tsan tsang tse tsun tsung tsz tung tzu
    wa wah wai wan wee wei wen wing wo wu ya yan yat yau yee yen yeung yi yik yim yin ying yip
    yiu yong yu yue yuen yuk yun yung""".split()
)
#: Common Japanese surnames (Hepburn). One counts with a given name of two to six morae
#: (``_JP_GIVEN``: taro, hanako, ichiro, kenji) beside it, and the cell nothing else.
_JP_SURNAMES = frozenset(
    """sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida
    yamada sasaki yamaguchi saito matsumoto inoue kimura hayashi shimizu yamazaki mori abe
    ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa
    murakami kondo ishii sakamoto endo aoki fujii nishimura fukuda ota miura takeuchi nakano
    okamoto matsuda harada nakagawa ono tamura kaneko wada nakayama ishida ueda morita hara
    shibata sakai kudo yokoyama miyazaki miyamoto uchida takagi ando taniguchi ohno maruyama
    imai takada fujimoto takeda murata ueno sugiyama masuda sugawara hirano otsuka koyama
    chiba kubo matsui iwasaki sakurai kinoshita noguchi matsuo nomura kikuchi sano onishi
    sugimoto arai hamada ichikawa furukawa mizuno komatsu shimada kojima takayama""".split()
)
_JP_MORA = (
    r"(?:(?:ky|gy|sh|ch|ny|hy|my|ry|by|py|ts|[kgsztdnhbpmrjf])?[aiueo]|y[auo]|w[ao]|n(?![aiueoy]))"
)
_JP_GIVEN = re.compile(rf"(?:{_JP_MORA}){{2,6}}")
#: English words spelt in Japanese morae (dose, none, rate): never a given name
_MORA_WORDS = frozenset(
    """dose nose rose hose pose note rate date mate name same game home some more sore bore
    pore side ride hide tide sure pure rare take make sake bake wake joke mode none done gone
    bone tone zone mine pine fine dine sane hare dare care nine tune dune june""".split()
)
#: Every listed surname, of any spelling: after a patient label (``Patient: Chan``) one is a
#: name wherever it stands in the cell.
_SURNAMES = (
    _NAME_LEXICON
    | _KOREAN_SURNAMES
    | _CN_SURNAMES
    | frozenset(_VI_SURNAMES)
    | _HK_TW_SURNAMES
    | _JP_SURNAMES
)
_NAME_SEPARATORS = re.compile(r"[\s_.-]+")
_ASCII_AND_MACRONS = "".join(map(chr, range(128))) + "āīūēōĀĪŪĒŌ"
_ID_COUNTER_AFTER = re.compile(r"(?<=[A-Za-z])[-_.]?[0-9]{1,6}$")
# the last word of a Korean district or street (Gang Nam Gu, Song Pa Gu, Jong Ro)
_KO_DISTRICT = frozenset("gu si do dong ro gil eup myeon ri gun".split())


def _romanised_name(
    text: str, *, in_id: bool, latin: bool = True, written: list[str] | None = None
) -> bool:
    """A romanised Korean or Chinese name written in one case or Title Case, its words joined
    by ``_ . -`` or spaces, in either order, and nothing else in the cell: a listed Korean
    surname and a given name of two syllables, joined or apart (``minsu_kim``, ``kim chul soo``,
    ``soojin_lim``); a listed Chinese surname and a given name of one or two pinyin syllables
    (``wang_fang``, ``li_na``, ``zhang xiaoming``). A word of a stop list or a short English word
    (``_SYLLABLE_WORDS``) is no given name, so ``go on``, ``ha ha ha`` and ``he ran`` pass, and
    a word with a digit makes no name (``ko_001``, ``li_01``). In a free-text cell a given name of
    one pinyin syllable counts only joined by ``_`` or ``.`` (``li_na``; ``huang qi`` and
    ``dan shen`` are herbal medicines), and a Korean district (``gang nam gu``) is no name.

    >>> [_romanised_name(v, in_id=True) for v in ("minsu_kim", "kim chul soo", "wang_fang", "li_na")]
    [True, True, True, True]
    >>> [_romanised_name(v, in_id=True) for v in ("ko_001", "go_on", "ha_ha", "HCC_LI", "site_a")]
    [False, False, False, False, False]
    """
    text = text.strip()
    counted = False
    if in_id:  # a counter after the name: chan_tai_man_01, yamamoto_taro2
        counted = _ID_COUNTER_AFTER.search(text) is not None
        text = _ID_COUNTER_AFTER.sub("", text)
    tokens = [t for t in _NAME_SEPARATORS.split(text) if t]
    if not 2 <= len(tokens) <= 3 or not all(t.isascii() and t.isalpha() for t in tokens):
        return False
    if counted and all(len(t) <= 2 for t in tokens):
        return False  # LI_NA_01, KR_SU_001: a site's letters and a number
    cased = (
        all(t.islower() for t in tokens)
        or all(t.isupper() for t in tokens)
        or all(t[0].isupper() and t[1:].islower() for t in tokens)
        # the surname in capitals, as Hong Kong and many registries write it (CHAN Tai Man,
        # YAMAMOTO Taro, Tai Man CHAN); a hyphenated given name with one capital (Hsu Mei-ling)
        or _surname_in_capitals(text)
        or all(
            w[0].isupper() and w[1:].replace("-", "").islower()
            for w in re.split(r"[\s_.]+", text.strip())
            if w
        )
    )
    if not cased:
        return False
    if not in_id and all(t.isupper() and len(t) <= 2 for t in tokens):
        return False  # FU_MA, IM_HA: abbreviations
    words = [t.lower() for t in tokens]
    joined = re.search(r"[_.]", text) is not None
    if any(_stop(w) or w in _TOTAL_WORDS for w in words) or any(_in_place_name(words)):
        return False  # Park Lane
    if joined and all(w in _NAME_LEXICON for w in words) and any(w in _GIVEN_NAMES for w in words):
        return True  # anna_kowalska, hans.mueller: listed names joined as an id writes them
    for order in (words, words[::-1]):
        surname, given = order[0], order[1:]
        if len(set(order)) == 1:
            continue
        # the given name: no short English word, unless a syllable of a Korean one of three
        # words (kim do hee)
        if len(given) == 1 and given[0] in _SYLLABLE_WORDS:
            continue
        if surname in _KOREAN_SURNAMES:
            if surname in given:
                continue  # kim kim chi
            # minsu_kim, minsu kim; in free text a surname of two letters after a word is no
            # name (huang ko)
            after = order is not words and not in_id and not joined and len(surname) <= 2
            if (
                len(given) == 1
                and not after
                and 4 <= len(given[0]) <= 11
                and _KO_GIVEN.fullmatch(given[0])
            ):
                return True
            if (
                len(given) == 2
                and words[-1] not in _KO_DISTRICT
                # kim chul soo, or chul-soo kim (the given name's syllables hyphenated): a
                # surname of two letters or after its given name needs the hyphen
                and (
                    (order is words and len(surname) > 2)
                    or re.search(r"[A-Za-z]-[A-Za-z]+[\s_.]", text.strip() + " ") is not None
                )
                and all(_KO_ONE.fullmatch(g) for g in given)
                and not all(g in _SYLLABLE_WORDS for g in given)
            ):
                return True
        if surname in _CN_SURNAMES and len(given) == 1 and _CN_GIVEN.fullmatch(given[0]):
            # in free text a phrase of two pinyin syllables apart is also a herbal medicine's
            # name (huang qi, dan shen, ma huang): there a given name of one syllable counts
            # only joined by _ or . (wang_fang)
            if in_id or joined or not _CN_ONE.fullmatch(given[0]):
                return True
        if (
            (in_id or joined)
            and order is words  # a Vietnamese surname comes first (Gia_Dinh is a place)
            and surname in _VI_SURNAMES
            # spelt as the name is, if with diacritics (đô_thị_hóa, urban growth, is no Đỗ)
            and (latin or (written or [""])[0] == _VI_SURNAMES[surname])
            and all(2 <= len(g) <= 7 for g in given)
            and not all(g in _SYLLABLE_WORDS for g in given)
        ):
            return True  # nguyen_gia_huy, tran.bao.chau: an id joins a Vietnamese name
        if not latin:
            continue  # Vietnamese written with its marks (chân tay, lâm sàng): no such name
        if surname in _HK_TW_SURNAMES and _hk_tw_given(given, in_id or joined):
            return True  # chan tai man, Hsu Mei-ling, wong_kawai
        if (
            surname in _JP_SURNAMES
            and len(given) == 1
            and len(given[0]) >= 3
            and given[0] not in _SYLLABLE_WORDS | _MORA_WORDS
            and _JP_GIVEN.fullmatch(given[0])
        ):
            return True  # yamamoto_taro, tanaka hanako
    return False


def _surname_in_capitals(text: str) -> bool:
    """``CHAN Tai Man``, ``Tai Man CHAN``: a listed surname in capitals first or last, the
    other words capitalised (a given name may be hyphenated: ``HSU Mei-ling``)."""
    words = [w for w in re.split(r"[\s_.]+", text.strip()) if w]
    if len(words) < 2:
        return False
    for surname, rest in ((words[0], words[1:]), (words[-1], words[:-1])):
        if (
            surname.isupper()
            and surname.lower() in _SURNAMES
            and all(w[0].isupper() and w[1:].replace("-", "").islower() for w in rest)
        ):
            return True
    return False


def _hk_tw_given(given: list[str], joined: bool) -> bool:
    """A given name in Cantonese, Hokkien or Wade–Giles spelling: two listed syllables, apart
    or joined (``tai man``, ``kawai``, ``mei ling``), not both short English words (``man on``);
    or, joined to the surname by ``_`` or ``.`` (``joined``), one (``hsu_mei``)."""
    if len(given) == 2:
        return all(g in _HK_TW_GIVEN for g in given) and not all(
            g in _SYLLABLE_WORDS for g in given
        )
    if len(given) != 1:
        return False
    word = given[0]
    if word in _HK_TW_GIVEN:
        return joined and word not in _SYLLABLE_WORDS
    return any(
        word[:i] in _HK_TW_GIVEN and word[i:] in _HK_TW_GIVEN for i in range(2, len(word) - 1)
    )


# After a cue of a name (seen by, Dr, patient, Mr), two capitalised words in Greek or Cyrillic
# letters (diacritics folded): in a note otherwise written in Latin letters they are a name,
# listed or not (seen by Γιώργος Παπαδόπουλος, Dr Добрыня Никитич)
_CUED_GREEK_CYRILLIC = re.compile(
    r"(?i:(?<![^\W\d_])(?:by|dr|doctor|pt|patient|mr|mrs|ms)\.?)\s+"
    r"[Α-ΩА-ЯЁ][α-ωςа-яё]+\s+[Α-ΩА-ЯЁ][α-ωςа-яё]+"
)
# A title (Dr, prof., д-р, проф., Δρ., κος) and one capitalised word in Greek or Cyrillic
# letters: a surname (д-р Смирнов, осмотрен проф. Ивановым, Δρ. Παπαδόπουλος); not a lower-case
# word (д-р дежурный, Δρ. εφημερίας) or capitals (ΜΕΘ)
_TITLED_GREEK_CYRILLIC = re.compile(
    r"(?i:(?<![^\W\d_])(?:dr|doctor|prof|professor|mr|mrs|ms|д-р|др|доктор[а-я]{0,2}|проф"
    r"|профессор[а-я]{0,2}|г-н|г-жа|господин[а-я]{0,2}|δρ|καθ|κος|κα)\.?)\s+"
    r"[Α-ΩА-ЯЁ][α-ωςа-яё]{2,}(?![^\W\d_]|-)"
)
# A patient_id in Greek or Cyrillic letters (any non-ASCII letters): words and a counter
# (Сергей_Петров0, Γιώργος_Παπαδόπουλος_12, Yılmaz_Ayşe0, Сергей Петров 3)
_GREEK_CYRILLIC = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_ID_WORDS_COUNTER = re.compile(r"([^\W\d_]+(?:[\s_.]+[^\W\d_]+)+)[\s_.-]*[0-9]{1,6}")


def _looks_like_name(text: str, *, in_id: bool = False, prose: bool = True) -> bool:
    """Whether ``text`` is a personal name (the whole cell), or (``prose``, not ``in_id``) holds
    a Vietnamese one among other words (:func:`_vi_name_in_prose`)."""
    text = canonical(text)
    if in_id and not text.isascii():
        m = _ID_WORDS_COUNTER.fullmatch(text.strip())
        if m and _looks_like_name(re.sub(r"[\s_.]+", " ", m[1]), prose=False):
            return True  # Сергей_Петров0, Γιώργος_Παπαδόπουλος0, Yılmaz_Ayşe0
    unfolded = text
    written = re.findall(r"[^\W\d_]+", text.lower())  # before folding: đô thị is no Đỗ Thị
    # a name romanised from Chinese or Japanese is plain ASCII, or has long-vowel macrons (Ōno
    # Yūko); Vietnamese has other marks (chân tay, lâm sàng)
    plain = text.isascii() or not text.strip(_ASCII_AND_MACRONS)
    if not text.isascii():
        text = fold_diacritics(text)
    if _titled_name(text):
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    if (
        prose
        and not in_id
        and len(words) >= 3
        and not _VI_SURNAMES.keys().isdisjoint(words)  # a cheap test first
        and _vi_name_in_prose(unfolded)
    ):
        return True
    if (
        prose
        and not in_id
        and len(words) >= 3
        and not _CUE_WORDS.isdisjoint(words)  # a cheap test first
        and _cued_name_in_prose(text)
    ):
        return True
    if (
        prose
        and not in_id
        and len(words) >= 4
        and _CARE_CUE.search(text) is not None  # a cheap test first
        and _unlisted_cued_name(text)
    ):
        return True
    if (
        prose
        and not in_id
        and not plain
        and (_CUED_GREEK_CYRILLIC.search(text) or _TITLED_GREEK_CYRILLIC.search(text))
    ):
        return True
    if any(w in _NOT_NAME_WORDS for w in words):
        return False
    if _korean_name(text) or _romanised_name(text, in_id=in_id, latin=plain, written=written):
        return True
    if in_id and (_NAME_IN_ID.fullmatch(text) or _WORDS_IN_ID.fullmatch(text)):
        return True
    if _NAME.fullmatch(text):
        return _capitalised_name(words, text, written)
    # one case (john smith, JOHN SMITH, иванов иван): every word a known name, or a patronymic
    return _PLAIN_NAME.fullmatch(text) is not None and (
        _all_names(words, written) or _vi_full_name(written) or _vi_short_name(written)
    )


def _header_is_name(name: str, known: int = 2) -> bool:
    """A header cell that is a person's name (a file whose header line is missing, so the first
    patient's row is read as the header): a title and a name (Dr Kim), a romanised Korean name,
    or any case with ``known`` listed names in it (one could be an eponym: Lee index, Park
    classification). Messages mask a header with one listed name (``known=1``)."""
    written = canonical(name.strip())
    text = fold_diacritics(written)
    if _titled_name(text):
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    if not words or any(w in _NOT_NAME_WORDS for w in words):
        return False
    if _korean_name(text):
        return True
    spelt = re.findall(r"[^\W\d_]+", written.lower())
    if _PLAIN_NAME.fullmatch(text) and _vi_full_name(spelt):
        return True  # LÊ VĂN HƯNG, vo van kiet
    if _clinical_phrase(words):
        return False
    # ổn định, trung bình, đô thị hóa: no names (Lê Thành Công is one)
    place = _in_place_name(words, only=_VI_PHRASES, caps=_caps(text), written=spelt)
    n = sum(
        not p and (w in _NAME_LEXICON or _PATRONYMIC.search(w) is not None)
        for w, p in zip(words, place, strict=True)
    )
    return (_NAME.fullmatch(text) or _PLAIN_NAME.fullmatch(text)) is not None and n >= known


# In patient_id only: ids built from a person's initials, birth date or name. Letters that may
# be initials (two to four), then a birth date of six digits (YYMMDD or DDMMYY; not starting
# with 00, which is a zero-padded counter: HCC000123) or eight (YYYYMMDD): KMS600101,
# AB-19600101. Initials alone, written with dots: A.B., K.M.S. A listed name of four letters or
# more, then digits: Nguyen0, NGUYEN_000, Park4. Names of two or three letters (Le, Do, Ho, Ma,
# Kim, Lee, Han, Sim) are left out: Le1 or Kim2 cannot be told from a site or study code (HAN
# is Hanoi's, SIM a simulation's, SEO Seoul's); a column that also holds a longer name is
# refused all the same, and then no id of it is shown.
# the date: six digits or eight, or written in parts YY-MM-DD, YYYY-MM-DD (one separator, -, /
# or .): KMS/600101, KMS-60-01-01, LVC-1948-07-15
_ID_DATE = r"([0-9]{2}(?P<ds>[-/.]?)[0-9]{2}(?P=ds)[0-9]{2}|[0-9]{4}(?P<ds8>[-/.]?)[0-9]{2}(?P=ds8)[0-9]{2})"
_ID_INITIALS_DATE = re.compile(rf"([A-Za-z]{{2,4}})[-_./ ]?{_ID_DATE}")
_ID_INITIALS = re.compile(
    r"[A-Za-z]\.(?:\s?[A-Za-z]\.){1,3}|[A-Za-z]\.(?:\s?[A-Za-z]\.){0,2}\s?[A-Za-z]"
)
_ID_NAME_NUMBER = re.compile(r"([^\W\d_]{4,})[-_. ]?[0-9]{1,6}")
_ID_NAMES = frozenset(
    w
    for w in (set(_NAME_LEXICON) | set(_KOREAN_SURNAMES) | set(_VI_SURNAMES))
    if len(w) >= 4 and w.isalpha()
)
_ID_SHAPED = re.compile(
    rf"{_ID_INITIALS_DATE.pattern}|{_ID_INITIALS.pattern}|{_ID_NAME_NUMBER.pattern}"
)
# One word of letters in any script, its parts joined by an apostrophe or a hyphen, and nothing
# else (Smith, José, Zoë, O'Brien, Müller-Lüdenscheidt, Иванов, also HCC, SNUH): a person's name
# when capitalised, or in one case when a listed name (_one_word_name). A study's code has digits
# (HCC-001, P0000001, A12) or is in capitals (HCC, SNUH): it passes.
_ID_ONE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# a spreadsheet's totals row (its own message in analysis.cohort), not a name
_TOTAL_WORDS = frozenset("total totals subtotal sum summe gesamt somme suma totale".split())


def _one_word_name(text: str) -> bool:
    """Whether a ``patient_id`` (canonical, stripped) is one word that is a person's name: its
    letters (accented or not, in any script with letter case) capitalised, each part of it
    (``Zoë``, ``O'Brien``, ``Jean-Luc``, ``McDonald``), three letters or more; or in one case
    and a listed name of four letters or more (``SMITH``, ``müller``). Label, clinical and
    common words and places (``None``, ``Site``, ``Control``, ``Total``) are no names.

    >>> [_one_word_name(v) for v in ("Smith", "José", "Müller", "Zoë", "O'Brien", "SMITH")]
    [True, True, True, True, True, True]
    >>> [_one_word_name(v) for v in ("HCC-001", "P0000001", "A12", "HCC", "SNUH", "ZOË", "Site")]
    [False, False, False, False, False, False, False]
    """
    if not _ID_ONE_WORD.fullmatch(text):
        return False
    parts = re.split(r"['’-]", text)
    folded = [fold_diacritics(p.lower()) for p in parts]
    if any(_stop(f) or f in _TOTAL_WORDS for f in folded):
        return False
    if any(f in _ID_NAMES for f in folded):
        return True
    # Mc and Mac before a capital are a surname's (McDonald, MacLeod)
    parts = [re.sub(r"^(?:Mc|Mac)(?=[^\W\d_])", "", p) for p in parts]
    capitalised = all(p[:1].isupper() and (len(p) == 1 or p[1:].islower()) for p in parts)
    return capitalised and sum(len(p) for p in parts) >= 3 and max(map(len, parts)) >= 2


# A person's name written as one word of an id: its words joined by _, . or - or in CamelCase
# (Nguyen_Van_An, NguyenVanAn, nguyen.van.an, Smith_John, Nguyen_Van_An_01), or an initial and
# a surname (J.Smith, A.Brown). The words are read apart and judged as a file name's are
# (_name_in_file_name): two to four of them a name by the rule of a whole cell, with a listed
# name among them; places and hospitals whose words are also names pass (BachMai_001,
# BV_ChoRay_01, Cho_Ray_001), as do study and site codes (KUMC-HAIC-01, SNUH_HCC_001).
_ID_CAMEL = re.compile(rf"(?<=[{_LOW}])(?=[{_UP}])")
_ID_JOINED = re.compile(rf"[{_LOW}][{_UP}]|[^\W\d_][-_.][^\W\d_]")
_ID_INITIAL_SURNAME = re.compile(rf"([{_UP}])\.[-_ ]?((?:Mc|Mac|O['’])?[{_UP}][{_LOW}]+)")


def _joined_name(text: str) -> bool:
    """Whether a ``patient_id`` (canonical, stripped) is a person's name with its words joined.

    >>> [_joined_name(v) for v in ("Nguyen_Van_An", "HoangVanEm", "nguyen.van.an", "J.Smith")]
    [True, True, True, True]
    >>> [_joined_name(v) for v in ("KUMC-HAIC-01", "Site2_005", "BachMai_001", "SITE-01-001")]
    [False, False, False, False]
    """
    if not _ID_JOINED.search(text):
        return False
    # the words are what counts, not the numbers: KUMC-HAIC-00001 … are judged once
    return _joined_name_words(re.sub(r"[0-9]+", "0", text))


@functools.lru_cache(maxsize=4096)
def _joined_name_words(text: str) -> bool:
    if not text.isascii():
        text = fold_diacritics(text)
    m = _ID_INITIAL_SURNAME.fullmatch(text)
    if m:
        return _looks_like_name(f"{m[1]}. {m[2]}")
    stem = _ID_CAMEL.sub("_", text)
    words = [w for w in re.split(r"[\s_.\-]+", stem) if re.fullmatch(r"[^\W\d_]{2,}", w)]
    return len(words) >= 2 and _name_in_file_name(stem)


# Letters and six digits that read as a date are initials and a birth date (KMS600101) or a
# study's letters and a counter that happens to read as one (HCC190101: case 101 of 2019). One
# value cannot tell (identifier_kind calls it initials-dob, and messages mask it); its column
# can, once the whole file is read (IdentifierScanner._dated_ids, from what every chunk left):
# a study's numbers come in runs under the same letters, initials differ between patients and
# birth dates lie far apart. Eight digits are seven or more digits anyway, refused in
# patient_id whatever they read as.
_ID_LETTERS_SIX = re.compile(
    r"([A-Za-z]{2,4})[-_./ ]?([0-9]{2}(?P<ds>[-/.]?)[0-9]{2}(?P=ds)[0-9]{2})"
)
# A counter, then six digits that read as a date (P001-650312, HCC_01-650312): the same
# question, decided the same way; refused, the message says birth dates (the letters are a
# study's, not initials). Grouped apart from initials ("#" before the letters).
_ID_COUNTER_SIX = re.compile(r"([A-Za-z]{0,4}[-_]?[0-9]{1,4})[-_./ ]([0-9]{6})")


def _dated_key(m: re.Match) -> str:
    """The letters an id of :data:`_ID_LETTERS_SIX` or :data:`_ID_COUNTER_SIX` is grouped by."""
    if m.re is _ID_COUNTER_SIX:
        return "#" + re.sub(r"[^A-Za-z]", "", m[1]).upper()
    return m[1].upper()


#: two numbers at most this far apart are a counter's (HCC190101 and HCC190102; KR190101 and
#: KR190104, sites sharing one; gaps of patients screened but not enrolled); two patients'
#: birth dates are seldom this close (in YYMMDD, the same or the next month)
_COUNTER_GAP = 100
#: a column whose ids of letters and six digits have at most this many different letters has
#: study sites, not initials: there the numbers of all sites count as one counter (KR190101,
#: VN190102, TH190103; a site with a single patient is no exception)
_ID_SITES = 50
#: row references kept for such ids until the column is decided: per letters, and in all
_DATED_REFS = (MAX_ROWS_SHOWN, 1000)

# Seven or more digits in patient_id are a hospital number, except a study's zero-padded counter
# (P0000001, P0000002 …; HCC-0000123): up to four letters, an optional - or _, and digits that
# start with 0. One id cannot tell (P0012345 may be a hospital's number); its column can, once
# the whole file is read (IdentifierScanner._padded_ids): a counter's ids share their letters
# and width, and their numbers fill most of the span they cover (1 … 82 fills it all), while
# patients' hospital numbers are scattered over millions.
_ID_PADDED = re.compile(r"([A-Za-z]{0,4})([-_]?)(0[0-9]{6,15})")
#: a counter has at least this many ids of the same letters and width ...
_PADDED_MIN = 5
#: ... whose numbers fill at least this share of the span from the smallest to the largest
#: (patients screened but not enrolled leave gaps: 82 of P0000001 … P0000300 still pass)
_PADDED_DENSITY = 0.25


def _birth_date_digits(digits: str) -> bool:
    """Six digits that read as a birth date, year first or day first (not 00…: a counter), or
    eight that read as YYYYMMDD (19xx or 20xx); separators between the parts are left out
    (60-01-01, 1960/01/01)."""
    digits = re.sub(r"[^0-9]", "", digits)
    try:
        if len(digits) == 8:
            return digits[:2] in ("19", "20") and bool(
                datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            )
        if digits.startswith("00"):
            return False
        a, b, c = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    except ValueError:
        return False
    if not 1 <= b <= 12:  # most of a counter's numbers: no need to try a date
        return False
    for day, month in ((c, b), (a, b)):
        with contextlib.suppress(ValueError):
            datetime.date(2000, month, day)  # a leap year: 29 February is a birth date too
            return True
    return False


def _id_shape_kind(text: str, *, dates: bool = True) -> str | None:
    """The kind of a ``patient_id`` built from initials, a birth date or a name, or None
    (``dates=False``: leaving out initials and a birth date).

    >>> [_id_shape_kind(v) for v in ("KMS600101", "A.B.", "Nguyen_000", "Tran1", "Kim2")]
    ['initials-dob', 'initials', 'name-id', 'name-id', None]
    >>> [_id_shape_kind(v) for v in ("SYN001", "HCC000123", "HAIC001", "Site2_005", "KR01-023")]
    [None, None, None, None, None]
    """
    m = _ID_INITIALS_DATE.fullmatch(text) if dates else None
    if m and _birth_date_digits(m[2]):
        return "initials-dob"
    if _ID_INITIALS.fullmatch(text):
        return "initials"
    m = _ID_NAME_NUMBER.fullmatch(text)
    if m and fold_diacritics(m[1].lower()) in _ID_NAMES:
        return "name-id"
    if _joined_name(text) or _one_word_name(text):
        return "name"
    return None


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
    if not isinstance(text, str) or not text:
        return None
    text = canonical(text)
    if in_id and (shaped := _id_shape_kind(text.strip())):
        return shaped
    return _other_kind(text, in_id=in_id, names=names)


def _other_kind(text: str, *, in_id: bool, names: bool) -> str | None:
    """:func:`identifier_kind` of a canonical ``text`` but for the shapes of
    :func:`_id_shape_kind`."""
    if not _CANDIDATE.search(text):
        return None
    if _UUID.fullmatch(text.strip()):
        return None
    for key, _, pattern, check in _DETECTORS:
        for m in pattern.finditer(text):
            if check is None or check(m):
                if key == "dot-thousands" and not in_id and _digit_groups(text):
                    return "digit-groups"  # the older, wider label (1.234.567.890)
                return key
    if not in_id and (_RECORD.search(text) or _RECORD_LONG.search(text)):
        return "record"
    if in_id and (_RECORD_IN_ID.match(text.strip()) or _HN_IN_ID.fullmatch(text.strip())):
        return "record"
    if not in_id:
        m = _PREFIXED_NUMBER.fullmatch(text.strip())
        if m and m["prefix"].lower() not in _REGISTRY_PREFIXES and _number_prefix(m):
            return "id-digits"
    if names and _looks_like_name(text.strip(), in_id=in_id):
        return "name"
    if in_id and _ID_DIGITS.search(text):
        return "id-digits"
    if not in_id and _TEXT_DIGITS.search(text):
        return "digits"
    # in patient_id only groups with spaces (as a card prints them): a study code joins its
    # parts with hyphens or dots (12-2023-0045)
    if _digit_groups(text) and (not in_id or " " in text.strip()):
        return "digit-groups"
    return None


def _number_prefix(m: re.Match) -> bool:
    """Whether a whole-cell match of ``_PREFIXED_NUMBER`` is a hospital number's prefix: joined
    to the digits or by a hyphen (H1234567, K-12345678), or apart in capitals and no
    measurement's label (RTH 1234567; not DNA 1234567, AFP 1234567, n 1234567)."""
    if not m["apart"]:
        return True
    prefix = m["prefix"]
    word = prefix.lower()
    return (
        len(prefix) >= 2
        and prefix.isupper()
        and not _stop(word)
        and _MEASURE_NAME.search(f"_{word}_") is None
    )


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


# what :func:`mask` shows nothing of: six or more digits in a row (a resident registration
# number starts with the birth date, YYMMDD; initials and a birth date, KMS600101; a long
# record number), or a date, also six digits written in parts (KMS-60-01-01, 60/01/01)
_MAY_HOLD_BIRTH_DATE = re.compile(
    rf"[0-9]{{6}}|{_DATE.pattern}|(?<![0-9])[0-9]{{2}}(?P<mp>[-/.])[0-9]{{2}}(?P=mp)[0-9]{{2}}(?![0-9])",
    re.IGNORECASE,
)


#: What a message shows in place of a value, a ``patient_id``, a column name or a file name
#: that may be an identifier: a fixed text that keeps nothing of it (no letter, digit or
#: separator, not its length), so that a name's initials or a birth date's digits never show;
#: the message's line number, or the column's position, says where it is.
MASKED = "[masked]"


def mask(value) -> str:
    """What a message shows in place of ``value``: :data:`MASKED`, whatever ``value`` is.

    Nothing of ``value`` is kept, not its first letters (a name's initials) nor its shape (the
    lengths of its words): the line or the column a message names locates it.

    Examples
    --------
    >>> mask("850101-1234567"), mask("John Smith"), mask("x" * 100)
    ('[masked]', '[masked]', '[masked]')
    """
    return MASKED


#: File extensions a masked file name keeps (:func:`mask_file_name`): they say which file a
#: message is about and carry nothing of a person.
FILE_SUFFIXES = (".csv", ".txt", ".tsv")


def mask_file_name(name) -> str:
    """What a message shows in place of a file name that holds an identifier.

    :data:`MASKED` followed by the name's extension when it is one of :data:`FILE_SUFFIXES`
    (any case), so that ``John_Smith.csv`` still reads as a CSV file; any other ending is
    masked with the rest (``John.Smith`` keeps nothing).

    Examples
    --------
    >>> mask_file_name("John_Smith.csv"), mask_file_name("Jane_Doe.TSV"), mask_file_name("John.Smith")
    ('[masked].csv', '[masked].TSV', '[masked]')
    """
    text = str(name)
    for suffix in FILE_SUFFIXES:
        if text.lower().endswith(suffix) and len(text) > len(suffix):
            return MASKED + text[-len(suffix) :]
    return MASKED


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
    """A ``patient_id`` fit to print: masked when it looks like an identifier, is
    too long, holds control characters or starts like a spreadsheet formula; and, whether or
    not its column passed, when it may hold a birth date (six or more digits in a row, or a
    date, also written in parts after letters: KMS-60-01-01). A masked id is :data:`MASKED`:
    nothing of it is shown. No message of :mod:`analysis.cohort` prints an id, even one that
    passes (:class:`analysis.problems.RowRef` names a row by its line): this is for a caller
    that must show one.

    Examples
    --------
    >>> printable_id("P001"), printable_id("850101-1234567"), printable_id("=HYPERLINK(1)")
    ('P001', '[masked]', '[masked]')
    >>> printable_id("HCC190101"), printable_id("KR-19-01-01"), printable_id("José")
    ('[masked]', '[masked]', '[masked]')
    """
    if value is None:
        return None
    text = str(value)
    if not text:
        return None
    if _id_format_problem(text) or identifier_kind(text, in_id=True):
        return mask(text)
    if _MAY_HOLD_BIRTH_DATE.search(text[:64] if text.isascii() else canonical(text[:64])):
        return mask(text)
    return text


def printable(value, limit: int = 40) -> str:
    """An offending cell as a message shows it: quoted text, masked when it looks like an
    identifier, shortened when long.

    Examples
    --------
    >>> printable("high"), printable("010-1234-5678")
    ("'high'", '[masked]')
    """
    if not isinstance(value, str):
        return str(value)
    if identifier_kind(value) or _CONTROL.search(value) and len(value) > limit:
        return mask(value)
    if len(value) > limit:
        return repr(value[:limit]) + f"… ({len(value)} characters)"
    return repr(value)


def printable_header(name: str, *, label: bool = False) -> str:
    """A column name as a message shows it: masked when it holds an identifier, a person's
    name or a run of five or more digits (a file without its header line names its columns by
    the first patient's values), cut when longer than 64 characters, as it is otherwise. ``label``: the name is a known identifier
    column's (``주민등록번호``, ``ФИО``), so its script alone does not mask it.

    Examples
    --------
    >>> printable_header("afp_ng_ml"), printable_header("850101-1234567"), printable_header("JOHN SMITH")
    ('afp_ng_ml', '[masked]', '[masked]')

    A name beside other words is masked too, as a file's name holding it is
    (:func:`file_name_identifier`): ``validate`` listed a column ``notes_Pham_Van_Dong`` or
    ``Bệnh nhân Lê Thị Hoa`` (patient Lê Thị Hoa) among those "not used by the book" as named.

    >>> printable_header("notes_Pham_Van_Dong"), printable_header("Bệnh nhân Lê Thị Hoa")
    ('[masked]', '[masked]')
    >>> printable_header("Bach_Mai_site"), printable_header("Ghi chú")  # a hospital; notes
    ('Bach_Mai_site', 'Ghi chú')

    Characters that are not printable are escaped, as in a value (a terminal's control
    sequence in a name cleared the screen):

    >>> print(printable_header("note\\x1b[2J"), printable_header("Age\\u200b"))
    note\\x1b[2J Age\\u200b
    """
    text = canonical(str(name))
    kind = _header_kind(name)
    if label and kind in _SCRIPT_KINDS:
        kind = None
    if kind or _HEADER_DIGITS.search(text) or _header_is_name(text, known=1):
        return mask(name)
    # the part a message would show (a long name is cut): a name among other words; not in a
    # known identifier column's label (mr_number reads as "Mr Number" in a file name)
    if not label and file_name_identifier(text[: _HEADER_SHOWN * 4]) == "name":
        return mask(name)
    if len(name) > _HEADER_SHOWN:  # a megabyte-long "name" would fill the terminal
        return f"{_escaped(name[:40])}… ({len(name)} characters)"
    return _escaped(name)


def _escaped(text: str) -> str:
    """``text`` with each character that is not printable (an escape sequence, a zero-width
    space) written as Python escapes it (``\\x1b``, ``\\u200b``), as messages show values: a
    column name ``note<ESC>[2J`` printed raw cleared the terminal."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


# what a file or folder name may hold without being refused: a date (an export's, cohort_2023-
# 01-15.csv), a long number (a timestamp), words in a script without letter case (간암_코호트)
# and a site's district (Hoang_Mai_District.csv, as its hospital's town)
_NAME_ALLOWED_KINDS = frozenset({"date", "digits", "digit-groups", "district"}) | frozenset(
    {"hangul", "cjk", "arabic", "hebrew", "indic", "thai"}
)

#: Place and hospital names whose words are also listed names, read as places in a file or
#: folder name only (a cell keeps the stricter reading: ``Hoa Binh`` and ``Tam Anh`` are also
#: given names): Vietnam's provinces and larger cities, the districts of Hanoi and Ho Chi Minh
#: City, hospitals known by their own name, two-word Korean universities and places. With
#: ``_PLACE_PHRASES`` (Thanh Hoa, Hong Kong), a file named ``hoa_binh_2023.csv`` or
#: ``Bach_Mai.csv`` is a place, not a person.
_FILE_PLACE_PHRASES_TEXT = """
    an giang; ba ria vung tau; bac giang; bac kan; bac lieu; bac ninh; ben tre; binh dinh;
    binh duong; binh phuoc; binh thuan; ca mau; can tho; cao bang; da nang; dak lak; dak nong;
    dien bien; dong nai; dong thap; gia lai; ha giang; ha nam; ha noi; ha tinh; hai duong;
    hai phong; hau giang; hoa binh; hung yen; khanh hoa; kien giang; kon tum; lai chau; lam dong;
    lang son; lao cai; long an; nam dinh; nghe an; ninh binh; ninh thuan; phu tho; phu yen;
    quang binh; quang nam; quang ngai; quang ninh; quang tri; soc trang; son la; tay ninh;
    thai binh; thai nguyen; thanh hoa; thua thien hue; tien giang; tra vinh; tuyen quang;
    vinh long; vinh phuc; yen bai; ho chi minh; sai gon; viet nam;
    nha trang; da lat; vung tau; bien hoa; ha long; buon ma thuot; quy nhon; my tho; rach gia;
    long xuyen; cam ranh; thu dau mot; viet tri; uong bi; mong cai; vinh yen; phan thiet;
    tuy hoa; cao lanh; sa dec; chau doc; ha tien; hoi an; dong hoi; dong ha; tam ky; bao loc;
    cam pha; phu quoc; son tay;
    thu duc; binh thanh; phu nhuan; tan binh; tan phu; binh tan; go vap; cu chi; hoc mon;
    binh chanh; nha be; can gio; ba dinh; hoan kiem; tay ho; long bien; cau giay; dong da;
    hai ba trung; hoang mai; thanh xuan; ha dong; tu liem; bac tu liem; nam tu liem; soc son;
    dong anh; gia lam; me linh; ba vi; thach that;
    bach mai; cho ray; viet duc; tu du; hung vuong; trung vuong; gia dinh; nhan dan gia dinh;
    thong nhat; an binh; tam anh; hoan my; viet tiep; xanh pon; saint paul; thanh nhan;
    chung ang; kyung hee; dong a; soon chun hyang; sung kyun kwan; kyung pook; chon nam;
    chon buk; jeon nam; jeon buk; chung buk; chung nam
"""
#: Statistical eponyms, read in a file name as terms (``Nelson_Aalen_cumhaz.csv``,
#: ``Kaplan-Meier.csv``), as the places above are.
_STAT_EPONYMS_TEXT = """
    kaplan meier; nelson aalen; aalen johansen; mann whitney; wilcoxon mann whitney;
    kolmogorov smirnov; anderson darling; durbin watson; cox snell; shapiro wilk;
    kruskal wallis; fine gray; mantel haenszel; cochran mantel haenszel; cochran armitage;
    breslow day; hosmer lemeshow; benjamini hochberg; bland altman; box cox; newton raphson
"""
_FILE_PLACE_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in (_FILE_PLACE_PHRASES_TEXT + ";" + _STAT_EPONYMS_TEXT).split(";"):
    _FILE_PLACE_PHRASES.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))
for _first, _phrases in _PLACE_PHRASES.items():
    _FILE_PLACE_PHRASES.setdefault(_first, []).extend(_phrases)

#: Words after which (``Cho Ray Hospital``, ``Samsung Medical Center``) or before which
#: (Vietnamese and French word order: ``BV Cho Ray``, ``Benh Vien Bach Mai``, ``Hôpital Saint
#: Antoine``) up to four words are the name of an institution or a place, named after a person
#: as often as not (``Nguyen Tri Phuong Hospital``): not a patient's name.
_INSTITUTION_AFTER_NAME = frozenset(
    """hospital hospitals hosp clinic clinics center centre ctr university univ institute
    college memorial foundation byeongwon byungwon uiwon daehakgyo daehak""".split()
)
#: Words that end an institution's name only before one of ``_INSTITUTION_AFTER_NAME``
#: (``Samsung Medical Center``, ``Seoul National University Hospital``): alone after a name
#: they describe the file (``John_Smith_medical_records``, ``Nguyen_Thi_Lan_national_id``).
_INSTITUTION_QUALIFIERS = frozenset(
    """medical general national regional city province district county street road ward
    central""".split()
)
#: bare ``vien`` (institute, also a syllable of viện phí, fees), ``tinh`` (province, also a
#: given name) and ``san`` (obstetrics, also a given name) are no triggers: ``vien_phi_Tran_Van_
#: Binh``, ``Tinh_Nguyen_Van_An`` and ``san_Nguyen_Thi_Lan`` hold a name.
_INSTITUTION_BEFORE_NAME = [
    tuple(p.split())
    for p in """bv; bvdk; bvtw; bvdktw; benh vien; trung tam; dai hoc; thanh pho; tp;
    huyen; da khoa; trung uong; ung buou; nhi dong; phu san; y duoc; y khoa; hopital; ospedale;
    klinikum; santa; sao; santo""".split(";")
]
#: Hospitals named after a person whose middle name is Văn (Bệnh viện Lê Văn Thịnh and Lê Văn
#: Việt, Thủ Đức, named after their streets in 2021): read as hospitals only next to a word of
#: ``_INSTITUTION_BEFORE_NAME`` or ``_INSTITUTION_AFTER_NAME`` (``BV_Le_Van_Thinh.csv``). Any
#: other listed surname, Thị or Văn and given name there is a person (``BV_Nguyen_Thi_Lan.csv``):
#: Thị and Văn, the commonest middle names, are rare in hospitals' names (none of those listed
#: above has one), so a hospital so named that is not listed here is refused (rename the file).
_HOSPITALS_WITH_VAN_THI = frozenset(
    tuple(p.split()) for p in "le van thinh; le van viet".split(";")
)
#: Words of file names that are never part of a name: a capitalised ``Final`` or ``Export``
#: before a listed surname is no given name (``HCC_Export_Kim.csv``), and ``model`` or ``code``
#: after one is no romanised Korean given name (``park_model.csv``).
_FILE_WORDS = frozenset(
    """final draft clean cleaned raw export exported copy backup updated update merged version
    rev revised dataset database db list sheet table tables file files output input analysis
    results result report reports summary synthetic demo example template my our all subset
    full deidentified anonymised anonymized pseudonymised pseudonymized deid anon patients
    patient cases case csv xlsx new old tmp temp vn kr en ko vi model models mode code codes
    note notes page base time rate size line lines set sets run runs part""".split()
)
# a Vietnamese mobile number written without separators: 0 and a network digit, eight more
_VN_NETWORK = "[35789]"
_VN_MOBILE = re.compile(rf"(?<![0-9])0{_VN_NETWORK}[0-9]{{8}}(?![0-9])")
# the same numbers with the country code and no + (84 for the 0; 82 10 for the Korean 010),
# bare or in groups (84 912 345 678, 84-91-234-5678, 82-10-1234-5678); an underscore reads
# as a space. Exactly 11 or 12 digits: a longer export id or a date-time passes.
_SEP = "[ .-]"
_CC_MOBILE = re.compile(
    rf"(?<![0-9])(?:84{_SEP}?{_VN_NETWORK}[0-9](?:[0-9]{_SEP}?[0-9]{{3}}{_SEP}?[0-9]{{3}}"
    rf"|{_SEP}?[0-9]{{3}}{_SEP}?[0-9]{{4}}|{_SEP}?[0-9]{{3}}{_SEP}?[0-9]{{2}}{_SEP}?[0-9]{{2}})"
    rf"|82{_SEP}?1[016789]{_SEP}?[0-9]{{3,4}}{_SEP}?[0-9]{{4}})(?![0-9])"
)
# a Unix time (1714123456): ten digits from 1, an NHS number only as Scotland's CHI number,
# which begins with the birth date (DDMMYY), so not when the first six digits are no date
_TRIAL_NUMBER = re.compile(
    r"(?<![^\W_])(?:ChiCTR[-_ ]?(?:[A-Z]{2,4}-)?[0-9]{8,10}|EudraCT[-_ ]?(?:no[-_ ]?)?[0-9]{4}-[0-9]{6}-[0-9]{2}"
    r"|CTRI[-_ /][0-9]{4}[-_ /][0-9]{2}[-_ /][0-9]{6}|NCT[0-9]{8}|ISRCTN[0-9]{8}|ACTRN[0-9]{14}"
    r"|jRCT[a-z]?[0-9]{10}|UMIN[0-9]{9}|KCT[0-9]{7}|DRKS[0-9]{8}|CTR[0-9]{8})(?![0-9])",
    re.IGNORECASE,
)
_UNIX_TIME = re.compile(r"(?<![0-9])1[0-9](?:00|1[3-9]|[2-9][0-9])[0-9]{6}(?![0-9])")
_NAME_MAX_CHARS = 4096
_TITLE_WORDS = frozenset("mr mrs ms miss mx dr prof mme mlle herr frau sr sra".split())


def _phrase_spans(words: list[str], phrases) -> list[tuple[int, int]]:
    """(start, end) of every occurrence in ``words`` of a phrase of ``phrases`` (a dict from
    first word to phrases, or a list of phrases)."""
    spans = []
    for i, word in enumerate(words):
        candidates = phrases.get(word, ()) if isinstance(phrases, dict) else phrases
        for phrase in candidates:
            if tuple(words[i : i + len(phrase)]) == phrase:
                spans.append((i, i + len(phrase)))
    return spans


def _vi_names_thi_van(
    tokens: list[str], words: list[str], usable: list[bool], triggers: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(start, end) of the Vietnamese names with the middle name Thị or Văn among ``words``
    (folded; ``tokens`` as written): a listed surname, ``thi`` or ``van`` and one or two given
    names (:func:`_vi_full_name`), all ``usable`` words and none of an institution's. A hospital
    of ``_HOSPITALS_WITH_VAN_THI`` right after a word of ``_INSTITUTION_BEFORE_NAME`` (their
    ``triggers`` spans) or right before one of ``_INSTITUTION_AFTER_NAME`` is left out."""
    ends = {end for _, end in triggers}
    inside = {k for start, end in triggers for k in range(start, end)}
    institution = _INSTITUTION_AFTER_NAME | _INSTITUTION_QUALIFIERS
    spans = []
    for i in range(len(words) - 2):
        if words[i] not in _VI_SURNAMES or words[i + 1] not in ("thi", "van"):
            continue
        hospital = tuple(words[i : i + 3]) in _HOSPITALS_WITH_VAN_THI
        if hospital and (i in ends or (i + 3 < len(words) and words[i + 3] in institution)):
            continue  # BV_Le_Van_Thinh, Le_Van_Viet_Hospital
        for end in (i + 4, i + 3):
            span = range(i, min(end, len(words)))
            if (
                len(span) == end - i
                and all(usable[k] and k not in inside and words[k] not in institution for k in span)
                and _vi_full_name([t.lower() for t in tokens[i:end]])
            ):
                spans.append((i, end))
                break
    return spans


def _name_in_file_name(stem: str) -> bool:
    """Whether two to four consecutive words of a file or folder name (read apart by spaces,
    underscores, dots and, in a second reading, hyphens) are a person's name by the rule of a
    whole cell (:func:`identifier_kind`) with a listed name among them
    (``cohort_john_smith_2023``, ``hcc_kim_minsu``, ``data_Dr_Kim``), leaving out words next to
    which they are an institution's or a place's name (``_INSTITUTION_AFTER_NAME``,
    ``_INSTITUTION_BEFORE_NAME``), words of file names (``_FILE_WORDS``), listed places
    (``_FILE_PLACE_PHRASES``: a run of them only, or cut in the middle, is no name) and words
    with digits."""
    for separators in (r"[\s_.,]+", r"[\s_.,-]+"):
        # a file or folder name has at most 255 bytes (NAME_MAX), so at most 128 words; a longer
        # "name" (an --out argument, refused later as too long) is read to its 128th word, in
        # time linear in its length
        tokens = [t for t in re.split(separators, stem[:_NAME_MAX_CHARS]) if t][:128]
        words = [fold_diacritics(t).lower() for t in tokens]
        usable = [
            bool(re.fullmatch(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", t))
            and w not in _NOT_NAME_WORDS
            and w not in _FILE_WORDS
            for t, w in zip(tokens, words, strict=True)
        ]
        triggers = _phrase_spans(words, _INSTITUTION_BEFORE_NAME)
        vi_names = _vi_names_thi_van(tokens, words, usable, triggers)  # all usable words
        for i, w in enumerate(words):  # the name of an institution: up to four words
            if w in _INSTITUTION_QUALIFIERS:
                usable[i] = False
                continue
            if w in _INSTITUTION_AFTER_NAME:
                # Samsung Medical Center: the qualifiers before it belong to the name
                usable[i] = False
                k = i
                while k and words[k - 1] in _INSTITUTION_QUALIFIERS:
                    k -= 1
                for j in range(k - 1, max(k - 5, -1), -1):
                    if not usable[j]:
                        break
                    usable[j] = False
        for start, end in triggers:
            usable[start:end] = [False] * (end - start)
            for j in range(end, min(end + 4, len(words))):
                if not usable[j]:
                    break
                usable[j] = False
        if any(not usable[k] for s, e in vi_names for k in range(s, e)):
            return True  # BV_Nguyen_Thi_Lan, Tran_Van_An_Hospital: a person, not the hospital
        places = _phrase_spans(words, _FILE_PLACE_PHRASES)
        # đô_thị_hóa (urban growth), spelt so: no Đỗ Thị Hoa, and thị hóa in it no name either
        places += _phrase_spans([t.lower() for t in tokens], _VI_WRITTEN_PHRASES)
        for start in range(len(tokens)):
            for end in range(start + 2, min(start + 4, len(tokens)) + 1):
                if not all(usable[start:end]):
                    break
                if any(s < start < e or s < end < e for s, e in places):
                    continue  # a place name cut in two (Hai Phong Thanh Hoa: Phong Thanh)
                inside = [any(s <= k < e for s, e in places) for k in range(start, end)]
                if all(inside):
                    continue  # places only (Hoa Binh, Ha Noi Da Nang)
                if end == start + 2 and words[start] in _TITLE_WORDS and not _stop(words[end - 1]):
                    return True  # Dr Kim, dr_kim, PROF_LEE
                text = " ".join(tokens[start:end])
                if identifier_kind(text) == "name" and _header_is_name(text, known=1):
                    return True
    return False


# A date in a file name with its parts joined by underscores or spaces: DD_MM_YYYY (or YY),
# YYYY_MM_DD
# (a day of 1-31 and a month of 1-12: 1_84_12 is none; a national number whose first groups
# read as a date, 2_05_12_76_451_089_46, is read whole by :func:`_joined_number_kind`)
_DATE_IN_PARTS = re.compile(
    r"(?<![0-9])(?:(?:0?[1-9]|[12][0-9]|3[01])[_ ](?:0?[1-9]|1[0-2])[_ ]"
    r"(?:[0-9]{4}|[0-9]{2})|(?:19|20)[0-9]{2}[_ ](?:0?[1-9]|1[0-2])[_ ](?:0?[1-9]|[12][0-9]|3[01]))"
    r"(?![0-9])"
)
# A number written in digit groups with any separators, read whole (its digits joined) by
# :func:`_joined_number_kind`
_DIGIT_RUN = re.compile(r"[0-9]+(?:[-_ ./][0-9]+)*")
_BARE_NIR = re.compile(r"[12][0-9]{2}(?:0[1-9]|1[0-2]|[2-9][0-9])[0-9]{10}")


_YEAR_GROUP = re.compile(r"(?:19|20)[0-9]{2}(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))?")


def _year_joined(groups: list[str], joined: str) -> bool:
    """Whether eleven digits joined from several groups hold a year or a yyyymmdd date as a
    group of their own: a batch or site number before a date (``345_2023-05-17``) or a span
    of years (``123_2019_2023``), not a CPF (3.3.3-2) or a Belgian number (2.2.2-3.2), which
    are never written with a group of four or eight digits.

    >>> _year_joined(["345", "2023", "05", "17"], "34520230517"), _year_joined(["12345678909"], "12345678909")
    (True, False)
    """
    used, total = [], 0
    for group in groups:
        if total >= len(joined):
            break
        used.append(group)
        total += len(group)
    return len(used) > 1 and any(_YEAR_GROUP.fullmatch(g) for g in used)


def _joined_number_kind(text: str) -> str | None:
    """The national number with strong check digits that a run of digit groups of ``text``
    holds once its separators are dropped, whatever they are (``1-84-12-76-451-089-46``,
    ``123_456_789_09``, ``12345678909``): a French NIR, a Brazilian CPF, a Chinese resident
    identity number, a Belgian national register number or a Swiss AHV number. Any run of
    consecutive groups counts (``site2_1 84 12 76 451 089 46``). Numbers whose check digit
    alone tells them (one chance in ten or eleven: NHS, SIN, Aadhaar, Thai) are left to their
    own patterns, which ask for their own grouping: a date and time joined would pass them too
    often.

    >>> [_joined_number_kind(t) for t in ("1-84-12-76-451-089-46", "12345678909", "2023-01-15")]
    ['nir', 'cpf', None]
    """
    for run in _DIGIT_RUN.finditer(text):
        groups = re.findall(r"[0-9]+", run[0])[:64]
        for i in range(len(groups)):
            joined = ""
            for group in groups[i : i + 12]:
                joined += group
                if len(joined) > 18:
                    break
                m = re.fullmatch(r"[0-9]+", joined)
                if len(joined) == 15 and _BARE_NIR.fullmatch(joined) and _nir_ok(m):
                    return "nir"
                if len(joined) == 11 and _year_joined(groups[i : i + 12], joined):
                    continue  # site_12_batch_345_2023-05-17, n123_2019_2023: no CPF
                if len(joined) == 11 and _cpf_ok(m):
                    return "cpf"
                if len(joined) == 11 and _be_nn_ok(m) and len(set(joined)) > 1:
                    return "be-nn"
                if len(joined) == 18 and _CN_ID.fullmatch(joined) and _cn_id_ok(m):
                    return "cn-id"
                if len(joined) == 13 and joined.startswith("756") and _ean13_ok(m):
                    return "ahv"
    return None


# A personal name written in Han characters or Hangul, read in a file or folder name only (a
# cell refuses any such text): a word of two to four Han characters that begins with a common
# Chinese or Japanese surname (王小明, 山田太郎), or of three Hangul syllables that begins with
# a common Korean one and two syllables common in given names (김민수), holding no character of
# a medical or file word (肝癌, 高血压, 白血病, 队列; not 고혈압, 유전자, 조영제)
_CJK_SURNAMES_1 = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧"
    "曹彭曾肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范範金石廖贾賈"
    "夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔"
    "向汤湯森"
)
_CJK_SURNAMES_2 = frozenset(
    """佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上
    木村 斎藤 斉藤 清水 山崎 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田
    後藤 近藤 村上 遠藤 青木 坂本 福田 太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田
    竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 安藤
    欧阳 歐陽 司马 司馬 诸葛 諸葛 上官""".split()
)
_CJK_WORD_CHARS = frozenset(
    "癌病症炎瘤血压壓科院医醫研究数數据據组組表队隊列药藥疗療术術检檢查例者期率区區市省县縣心群"
    "肝肺胃肠腸肾腎脏臟疸糖尿移植化放射线線床试試验驗统統计計分析结結果报報告资資料样樣本集合"
    "全体體部门門诊診断斷治手学學大综綜合性型度量值年月日次回前后後初终終新旧舊第版稿导導出入"
    # seldom or never in a given name: 白蛋白, 白细胞, 叶酸, 高危, 高龄, 方差, 方案, 程序, 金属,
    # 余额, 任务, 孔径, 汤剂, 黄芪, 黄芩, 陈皮, 胡椒, 付费, 苏州, 郑州
    "蛋细細胞酸危龄齡额額务務属屬案差序剂劑椒芪芩皮费費径徑州"
)
# common words, herbs and places that begin with a surname character but hold no character
# of _CJK_WORD_CHARS: no personal names (方法, 马上, 江苏, 武汉, 沈阳, 黄金, 杜仲)
_CJK_NOT_NAMES = frozenset(
    """方法 方式 方面 方向 马上 林业 金标准 标准 周围 石油 黄金 森林 夏季 范围 曾经 钱包 贺卡
    毛发 罗马 韩国 韓國 江苏 江蘇 江西 武汉 武漢 沈阳 瀋陽 金华 金華 许昌 許昌 吴江 吳江 秦皇岛
    石家庄 黄山 黄石 龙岩 龍岩 马鞍山 邵阳 曹县 杜仲 丁香 陈皮 姜黄 田七 何首乌 杨梅 李子 龙胆
    石斛 叶片 王牌 金属 白介素 宋代""".split()
)
_KO_SURNAMES_HANGUL = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천"
    "방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용"
)
# syllables common in Korean given names (민수, 서연, 지훈, 영자, 길동): both of a three-syllable
# word's last two must be, so that 유전자, 조영제, 한국어, 전이성 or 신경과 are no names
_KO_GIVEN_SYLLABLES = frozenset(
    "민준서연지현수영우진호은예하윤성재정혜경미주희태승동상철훈석숙자순옥범규용환기찬혁빈아나유다"
    "채소시가선인길남일명광웅종식봉덕춘화란애향선열근구형욱한결온율린솔별"
)
_HAN_RUN = re.compile(r"[\u3005\u4e00-\u9fff]{2,4}|[\uac00-\ud7a3]{3}")


def _cjk_name_in_file_name(stem: str) -> bool:
    """Whether a word of a file or folder name is a personal name in Han characters or Hangul
    (see ``_CJK_SURNAMES_1``): ``山田太郎``, ``王小明``, ``김민수``; not ``肝癌队列``, ``高血压``
    or ``간암_코호트``.

    >>> [_cjk_name_in_file_name(s) for s in ("山田太郎", "王小明", "김민수", "肝癌队列", "고혈압")]
    [True, True, True, False, False]
    """
    for token in re.split(r"[^\u3005\u4e00-\u9fff\uac00-\ud7a3]+", stem[:_NAME_MAX_CHARS]):
        if not _HAN_RUN.fullmatch(token):
            continue
        if "\uac00" <= token[0] <= "\ud7a3":
            if token[0] in _KO_SURNAMES_HANGUL and set(token[1:]) <= _KO_GIVEN_SYLLABLES:
                return True
            continue
        if set(token) & _CJK_WORD_CHARS or token in _CJK_NOT_NAMES:
            continue
        if token[0] in _CJK_SURNAMES_1 and len(token) <= 3:
            return True
        if any(token.startswith(s) and len(token) > len(s) for s in _CJK_SURNAMES_2):
            return True
    return False


def file_name_identifier(name: str) -> str | None:
    """The kind of direct identifier a file or folder name holds (a national identity, phone
    or record number, an e-mail address, a person's name), or None.

    A report shows its cohort's file name and its folder's name on its first page and in
    ``report.json``, and a report is made to be shared: ``hong_850101-1234567.csv`` would carry
    the number into it. Dates, long numbers and text in scripts without letter case are allowed
    in a name (an export date, a timestamp, a Korean file name); underscores read as spaces.

    A name is looked for in every two to four consecutive words (:func:`_name_in_file_name`):
    ``cohort_john_smith_2023.csv`` holds one. Places and hospitals whose words are also names
    (``hoa_binh.csv``, ``Bach_Mai.csv``, ``BV_Cho_Ray.csv``, ``Nguyen_Tri_Phuong_Hospital``) do
    not; a bare hospital named after a person (``Nguyen_Tri_Phuong.csv``) is read as the person,
    and so is a Vietnamese name with the middle name Thị or Văn even next to BV, Bệnh viện or
    Hospital (``BV_Nguyen_Thi_Lan.csv``), except two hospitals so named (``BV_Le_Van_Thinh``,
    ``Le_Van_Viet_Hospital``). ``đô_thị_hóa`` (urban growth, so spelt) is no Đỗ Thị Hoa.
    A word of one to three letters and seven or eight digits (``cohort_H1234567``) is a hospital
    number, and ten digits from ``03``, ``05``, ``07``, ``08`` or ``09`` a Vietnamese mobile
    number (``cohort_0912345678``), as are the same numbers after the country code without a
    ``+`` (``84912345678``, ``84_912_345_678``; Korean ``821012345678``); other long numbers (a
    timestamp) pass, and ten digits from ``1`` whose first six are no date (``1714123456``, a
    Unix time) are no NHS number.

    Examples
    --------
    >>> file_name_identifier("850101-1234567.csv"), file_name_identifier("John_Smith.csv")
    ('rrn', 'name')
    >>> [file_name_identifier(n) for n in ("my_cohort.csv", "cohort_2023-01-15.csv", "간암.csv")]
    [None, None, None]
    >>> file_name_identifier("Final Report"), file_name_identifier("Dr_Kim.csv")
    (None, 'name')
    >>> file_name_identifier("cohort_john_smith_2023.csv"), file_name_identifier("hcc_Kim_Minsu")
    ('name', 'name')
    >>> [file_name_identifier(n) for n in ("benh_vien_cho_ray.csv", "Hoa_Binh.csv", "Can_Tho")]
    [None, None, None]
    >>> [file_name_identifier(n) for n in ("BV_Nguyen_Thi_Lan", "BV_Nguyen_Tri_Phuong", "đô_thị_hóa")]
    ['name', None, None]
    >>> [file_name_identifier(n) for n in ("84912345678.csv", "export_1714123456.csv")]
    ['phone', None]
    """
    stem = str(name)
    for suffix in FILE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = canonical(stem)
    # a trial's registration number, named by its registry, is no person's (ChiCTR2000012345
    # passes the NHS check, EudraCT 2019-001234-56 and CTRI/2019/01/012345 read as phones)
    stem = _TRIAL_NUMBER.sub("trial", stem)
    # a date in parts (05_01_2023, 2023 01 05) is joined by hyphens: read as a date (allowed),
    # not as eight digits after a trunk 0 (a phone number)
    stem = _DATE_IN_PARTS.sub(lambda m: re.sub(r"[_ ]", "-", m[0]), stem)
    spaced = stem.replace("_", " ").strip()
    kind = identifier_kind(spaced, names=False)
    if kind == "nhs":  # read a Unix time as a number that is no NHS number (same length)
        kind = identifier_kind(_UNIX_TIME.sub("1000000000", spaced), names=False)
    if kind == "dot-thousands" and _CC_MOBILE.search(spaced):
        return "phone"  # 84.912.345.678
    if kind is not None and kind not in _NAME_ALLOWED_KINDS:
        return kind
    for token in re.split(r"[\s_.,]+", stem):
        m = _PREFIXED_NUMBER.fullmatch(token)
        if (
            m
            and m["prefix"].lower() not in _REGISTRY_PREFIXES
            and _number_prefix(m)
            and not _DATE.search(token)
        ):
            return "id-digits"
        if _VN_MOBILE.search(token):
            return "phone"
    if _CC_MOBILE.search(spaced):
        return "phone"  # 84912345678, 84_912_345_678, 821012345678
    joined = _joined_number_kind(stem)
    if joined is not None:
        return joined  # 1-84-12-76-451-089-46, 12345678909: a national number however written
    if _name_in_file_name(stem) or _cjk_name_in_file_name(stem):
        return "name"
    return None


#: Longest column name shown whole in a message (a longer one is cut to 40 characters).
_HEADER_SHOWN = 64


_SCRIPT_KINDS = frozenset({"hangul", "cjk", "arabic", "hebrew", "indic", "thai"})
# A run of five or more digits in a header: data, not a column name (masked in messages)
_HEADER_DIGITS = re.compile(r"[0-9]{5}")


@functools.lru_cache(maxsize=4096)
def _name_verdict(name: str) -> tuple[str | None, str | None]:
    """``(_name_reason(name), _header_kind(name))``, kept for the next file or chunk scanned
    with the same header (both read only the name: about 0.1 ms each, for every column of
    every :class:`IdentifierScanner`)."""
    return _name_reason(name), _header_kind(name)


def _header_kind(name: str) -> str | None:
    """The identifier a header cell itself holds (a file without its header line), or None:
    any kind :func:`identifier_kind` finds, a name, or a whole number of seven or more digits
    (a hospital number: ``12345678``, ``12345678.0``)."""
    kind = identifier_kind(name, names=False)
    if kind:
        return kind
    if _header_is_name(name):
        return "name"
    if _GREEK_CYRILLIC.search(str(name)) and _header_is_name(re.sub(r"[_.]+", " ", str(name))):
        return "name"  # Сергей_Петров (words in Greek or Cyrillic letters joined)
    if re.fullmatch(r"[0-9]{7,}(?:\.0+)?", canonical(str(name)).strip()):
        return "id-digits"
    return None


# What a message may echo of a cell that broke a rule (a type, a category): only what cannot be
# an identifier. Numbers of at most six digits (with a comparison sign, a decimal comma, an
# underscore or a unit: <0.1, 3,8, 1_200, 12 mg/dL), single characters, the words below, the
# column's allowed values in another case, a token shaped like an allowed value with at most two
# digits (Vp5 beside Vp0-Vp4), a letter away from an allowed word (moderat). Anything else is
# described by its length and kind ("a 10-character text value, not a number"), never shown.
_HARMLESS_WORDS = _NOT_NAME_WORDS | frozenset(
    """inf infinity nan na n/a n.a. nd n.d. ne nr nil null unk unknown y n yes no true false
    neg pos absent present trace ok""".split()
)
_UNIT_WORDS = frozenset(
    """mg g kg dl l ml mm cm m iu u ng ug µg μg mmol µmol μmol umol mo mos month months d day
    days wk wks week weeks y yr yrs year years h hr hrs""".split()
)
_NUMBERISH = re.compile(
    r"(?:[<>≤≥~]=?)?\s?[+-]?(?:[0-9][0-9_,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?"
    r"(?:\s?(?P<unit>%|[A-Za-zµμ]{1,6}(?:/[A-Za-zµμ0-9]{1,6})?))?"
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+\-]{0,15}")


def _shape(text: str) -> str:
    return re.sub(r"[A-Za-z]+", "a", re.sub(r"[0-9]+", "9", text))


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def echoable(value: str, allowed: Iterable = ()) -> bool:
    """Whether a cell that broke a rule may be shown as it is: it cannot be an identifier
    (see the comment above the module's list of harmless words, ``_HARMLESS_WORDS``).

    Examples
    --------
    >>> [echoable(v) for v in ("12.5", "<0.1", "3,8", "high", "x", "12 mg/dL")]
    [True, True, True, True, True, True]
    >>> [echoable(v) for v in ("john smith", "abc", "1234567", "12 Main", "JS")]
    [False, False, False, False, False]
    >>> echoable("Vp5", ["Vp0", "Vp1"]), echoable("VP1", ["Vp0", "Vp1"]), echoable("Vp12345", ["Vp0"])
    (True, True, False)
    """
    text = canonical(str(value)).strip()
    if not text or len(text) > 24 or _CONTROL.search(text) or identifier_kind(text):
        return False
    if len(text) == 1:
        return True
    allowed = [str(a) for a in allowed]
    lower = text.lower()
    if lower in _HARMLESS_WORDS or lower in {a.lower() for a in allowed}:
        return True
    digits = sum(ch.isdigit() for ch in text)
    m = _NUMBERISH.fullmatch(text)
    if m and digits <= 6:
        unit = m["unit"]
        if unit is None or unit == "%" or all(u.lower() in _UNIT_WORDS for u in unit.split("/")):
            return True
    if not allowed or not _TOKEN.fullmatch(text):
        return False
    if 0 < digits <= 2 and len(text) <= max(len(a) for a in allowed) + 2:
        return _shape(text) in {_shape(a) for a in allowed}
    return text.isalpha() and len(text) >= 3 and any(_one_edit(lower, a.lower()) for a in allowed)


def describe_value(value: str) -> str:
    """A cell described without its content: its length and whether it is a number.

    Examples
    --------
    >>> describe_value("1234567"), describe_value("1234567.5"), describe_value("john smith")
    ('a 7-digit number', 'a 9-character number', 'a 10-character text value')
    >>> describe_value("８８００１２３４")  # full-width digits count as digits
    'an 8-digit number'
    """
    text = canonical(str(value)).strip()
    if text.isdigit():
        n, what = len(text), "digit number"
    elif _PLAIN_NUMBER.fullmatch(text):
        n, what = len(text), "character number"
    else:
        n, what = len(str(value)), "character text value"
    article = "an" if str(n).startswith("8") or n in (11, 18) else "a"
    return f"{article} {n}-{what}"


def shown_cell(value, *, allowed: Iterable = (), expected: str = "") -> str:
    """A cell that broke a rule as a message shows it: quoted when :func:`echoable`, otherwise
    described (:func:`describe_value`) and followed by ``expected`` (``"not a number"``).

    Examples
    --------
    >>> shown_cell("high"), shown_cell("john smith", expected="not a number")
    ("'high'", 'a 10-character text value, not a number')
    >>> shown_cell("Vp5", allowed=["Vp0", "Vp4"]), shown_cell("1234567", allowed=["M", "F"])
    ("'Vp5'", 'a 7-digit number')
    """
    if not isinstance(value, str):
        return str(value)
    allowed = tuple(allowed)
    if echoable(value, allowed):
        return repr(value)
    return describe_value(value) + (f", {expected}" if expected else "")


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
# A whole cell of 7 or 8 digits: a hospital number, unless its column holds measurements
#: Column names that say the column measures something (their 7- and 8-digit whole numbers are
#: values, not hospital numbers): DNA or RNA, IU, copies, counts, levels, platelets, units.
_MEASURE_NAME = re.compile(
    r"_(dna|rna|iu|copies|copy|counts?|cnt|levels?|lvl|platelets?|plts?|ml|l|dl|ul|mm3|ng|pg|ug"
    r"|mg|g|u|mmol|umol|nmol|pmol|meq|titers?|titres?|load|viral|vl|conc\w*|cells?|wbc|rbc|anc"
    r"|alc|afp|pivka\w*|dcp|cea|hbv\w*|hcv\w*|hiv\w*|value|result|x10\w*|per)_"
)
_BARE_NUMBER = re.compile(r"[0-9]{7,8}(?:\.0+)?")  # 12345678.0: an id saved as a float
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def _ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``39th``."""
    last = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th") if n % 100 not in (11, 12, 13) else "th"
    return f"{n}{last}"


def _sheet_column(n: int) -> str:
    """A spreadsheet's letters for the ``n``-th column (1 -> A, 27 -> AA, 39 -> AM).

    >>> [_sheet_column(n) for n in (1, 26, 27, 39, 702, 703)]
    ['A', 'Z', 'AA', 'AM', 'ZZ', 'AAA']
    """
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


class IdentifierScanner:
    """The identifier guard, fed a cohort chunk by chunk.

    Parameters
    ----------
    columns : iterable of str
        The cohort's header; names that look like identifiers are refused at once (and their
        values not scanned).
    positions : iterable of int, optional
        Each column's place in the file, from 1 (default: 1, 2, …), named in the message for a
        header that is refused masked.

    Use :meth:`scan` for the cells of each chunk, then :meth:`problems`.
    Kinds of column: ``"id"`` (``patient_id``: every rule, seven-digit runs, names in any
    form; letters and six digits that read as a date decided for the column at the end),
    ``"text"`` (free columns: every rule, nine-digit runs, whole cells of seven or eight
    digits unless the column holds measurements, whole-cell names that repeat at most three
    times, free-text warning), ``"value"`` (cells of number or category columns that failed
    their own check or are long: every rule but names).

    Examples
    --------
    A column named like an identifier is refused from the header; a resident registration
    number in ``patient_id`` is found in the cells (and shown masked):

    >>> from analysis.problems import RowRef
    >>> scanner = IdentifierScanner(["patient_id", "name", "age_years"])
    >>> scanner.refused
    {'name'}
    >>> cells = np.array(["P001", "850101-1234567"], dtype=object)
    >>> scanner.scan("patient_id", "id", cells, np.arange(2), lambda i, shown: RowRef(i + 2, shown))
    >>> [(p.column, p.rows[0].value if p.rows else None) for p in scanner.problems()]
    [('name', None), ('patient_id', '[masked]')]

    Letters and six digits that read as a date are decided once every chunk is in: a study's
    counter passes, a single id of initials and a birth date among P001 … does not.

    >>> def ids_of(values):
    ...     scanner = IdentifierScanner(["patient_id"])
    ...     cells = np.array(values, dtype=object)
    ...     for at in range(0, len(cells), 10):  # chunks of 10 rows
    ...         part = np.arange(at, min(at + 10, len(cells)))
    ...         scanner.scan("patient_id", "id", cells[part], part, lambda i, shown: RowRef(i + 2, shown))
    ...     return [(p.count, str(p.rows[0])) for p in scanner.problems()]
    >>> ids_of([f"HCC{n}" for n in range(190101, 190183)])
    []
    >>> ids_of([f"P{n:03d}" for n in range(1, 82)] + ["KMS600101"])
    [(1, 'line 83: [masked]')]
    """

    def __init__(self, columns: Iterable[str], positions: Iterable[int] | None = None):
        self.columns = [str(c) for c in columns]
        # where each column is in the file, from 1 (unnamed and repeated columns are left out
        # of ``columns``), for messages that cannot show a name
        positions = list(positions) if positions is not None else []
        if len(positions) != len(self.columns):
            positions = list(range(1, len(self.columns) + 1))
        self.by_name: list[Problem] = []
        self.refused: set[str] = set()
        for position, name in zip(positions, self.columns, strict=True):
            reason, kind = _name_verdict(name)
            if kind and not reason:
                # the header cell itself holds an identifier: refuse it without printing it,
                # and say where it is (three Korean headers were "column **", "column ***"
                # and "column ***")
                self.refused.add(name)
                self.by_name.append(
                    Problem(
                        mask(name),
                        f"the column name itself contains {describe(kind)}; refused",
                        "identifier",
                        hint=f"rename the {_ordinal(position)} column ({_sheet_column(position)} "
                        "in a spreadsheet); the name is masked here",
                    )
                )
                continue
            if reason:
                self.refused.add(name)
                self.by_name.append(
                    Problem(
                        printable_header(name, label=True),
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
        # column -> whole cells of 7 or 8 digits (refs, count) and what else the column holds
        self._bare: dict[str, dict] = {}
        # patient_id -> its ids of letters and six digits, decided at the end (_dated_ids)
        self._dated: dict[str, dict] = {}
        # patient_id -> its zero-padded ids of seven or more digits, decided at the end
        # (_padded_ids)
        self._padded: dict[str, dict] = {}

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
        # every rule works on the distinct texts of the chunk (a site or an arm repeats in every
        # row), then maps back to the rows, in row order
        if kind == "id":  # unique by rule: nothing to share
            codes, uniques = np.arange(len(values)), np.asarray(values, dtype=object)
        else:
            codes, uniques = pd.factorize(pd.Series(values, dtype=object))
            uniques = np.asarray(uniques, dtype=object)
        counts = np.bincount(codes, minlength=len(uniques))
        first = np.full(len(uniques), len(codes), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(codes)))
        in_id = kind == "id"
        found_kind = np.full(len(uniques), None, dtype=object)
        candidates = candidate_mask(uniques)
        six: list[re.Match | None] = []
        dob = np.zeros(len(uniques), dtype=bool)  # letters and six digits that read as a date
        padded: list[re.Match | None] = []
        if in_id:  # ids built from initials, a birth date or a name (KMS600101, Nguyen_000)
            texts = [(t if t.isascii() else canonical(t)).strip() for t in uniques]
            six = [_ID_LETTERS_SIX.fullmatch(t) or _ID_COUNTER_SIX.fullmatch(t) for t in texts]
            padded = [_ID_PADDED.fullmatch(t) for t in texts]
            candidates |= np.array(
                [
                    m is not None
                    or _ID_SHAPED.fullmatch(t) is not None
                    or _ID_JOINED.search(t) is not None
                    or _ID_ONE_WORD.fullmatch(t) is not None
                    for m, t in zip(six, texts, strict=True)
                ],
                dtype=bool,
            )
            dated = self._dated.setdefault(
                column,
                {
                    "letters": {},
                    "keys": array("q"),
                    "flags": array("b"),
                    "refs": [],
                    "per": Counter(),
                },
            )
        for u in np.flatnonzero(candidates):
            text = uniques[u]
            if in_id and six[u] is not None:
                # letters and six digits: refused now for any reason but a date; if they read
                # as one (initials and a birth date, or a study's counter), the column decides
                # at the end (_dated_ids)
                canon = canonical(text)
                dob[u] = _birth_date_digits(six[u][2])
                found = _id_shape_kind(canon.strip(), dates=False) or _other_kind(
                    canon, in_id=True, names=False
                )
                if found is None and dob[u] and not _looks_like_name(text, in_id=True):
                    found = "dated"
            else:
                found = identifier_kind(text, in_id=in_id, names=False)
                if (
                    found in ("id-digits", "hkid")  # P0000004 checks as HKID P000000(4)
                    and in_id
                    and padded[u] is not None
                    and not _looks_like_name(text, in_id=True)
                ):
                    found = "padded"  # a study's counter or a hospital's number: decided at the end
                if found == "gps" and _measured_column(column):
                    found = None  # lesion_xy_mm: 12.5432, 45.1234 is a lesion's place in a scan
            if found is None and kind in ("id", "text") and _looks_like_name(text, in_id=in_id):
                if in_id:
                    found = "name"
                else:
                    self._names.setdefault(column, Counter())[text] += int(counts[u])
                    refs = self._name_refs.setdefault(column, {})
                    if text not in refs and len(refs) < 1000:
                        refs[text] = make_ref(int(positions[first[u]]), mask(text))
                    continue
            found_kind[u] = found
        if in_id:
            self._dated_shapes(dated, six, dob, found_kind, values, positions, make_ref)
            self._padded_shapes(column, padded, found_kind, values, positions, make_ref)
        flagged_texts = np.not_equal(found_kind, None)
        flagged = flagged_texts[codes]
        for j in np.flatnonzero(flagged):
            self._record(column, found_kind[codes[j]], make_ref(int(positions[j]), mask(values[j])))
        if kind == "text":
            self._bare_numbers(column, values, positions, make_ref, codes, uniques, flagged_texts)
            lengths = np.array([len(t) for t in uniques], dtype=np.int64)
            words = pd.Series(uniques, dtype=object).str.count(r"\s+").to_numpy() + 1
            wide = int(counts[(lengths >= _FREE_TEXT_CHARS) | (words >= _FREE_TEXT_WORDS)].sum())
            if wide:
                self._free_text[column] = self._free_text.get(column, 0) + wide

    @staticmethod
    def _dated_shapes(dated, six, dob, found_kind, values, positions, make_ref) -> None:
        """Keep, for every id of two to four letters and six digits (``six``: the matches, one
        per row of ``values``), its letters and number, and whether it reads as a date
        (``dob``) and waits for the column's decision (``found_kind`` ``"dated"``, set back to
        None here) or was refused for another reason; and the first rows' references of those
        that wait."""
        rows = np.array([j for j, m in enumerate(six) if m is not None], dtype=np.int64)
        if not len(rows):
            return
        matches = [six[j] for j in rows]
        local, names = pd.factorize(np.array([_dated_key(m) for m in matches], dtype=object))
        letters = dated["letters"]
        codes = np.array([letters.setdefault(n, len(letters)) for n in names], dtype=np.int64)
        codes = codes[local]
        numbers = np.array([int(re.sub(r"[^0-9]", "", m[2])) for m in matches], dtype=np.int64)
        waiting = np.equal(found_kind[rows], "dated")
        found_kind[rows[waiting]] = None
        at = len(dated["flags"])
        dated["keys"].frombytes((codes * 1_000_000 + numbers).tobytes())
        dated["flags"].frombytes(
            np.where(waiting, 1, np.where(dob[rows], 2, 0)).astype(np.int8).tobytes()
        )
        per, refs = dated["per"], dated["refs"]
        each, overall = _DATED_REFS
        for k in np.flatnonzero(waiting):
            if len(refs) >= overall:
                break
            code, j = int(codes[k]), int(rows[k])
            if per[code] < each:
                per[code] += 1
                refs.append((at + int(k), make_ref(int(positions[j]), mask(values[j]))))

    def _padded_shapes(self, column, padded, found_kind, values, positions, make_ref) -> None:
        """Keep, for every id of ``values`` that waits for the column's decision
        (``found_kind`` ``"padded"``, set back to None here), its letters and width and its
        number, and the first rows' references."""
        rows = np.flatnonzero(np.equal(found_kind, "padded"))
        if not len(rows):
            return
        found_kind[rows] = None
        state = self._padded.setdefault(
            column, {"groups": {}, "keys": array("q"), "numbers": array("q"), "refs": []}
        )
        groups = state["groups"]
        at = len(state["keys"])
        for k, j in enumerate(rows):
            m = padded[j]
            state["keys"].append(groups.setdefault((m[1].upper(), m[2], len(m[3])), len(groups)))
            state["numbers"].append(int(m[3]))
            if len(state["refs"]) < _DATED_REFS[1]:
                ref = make_ref(int(positions[j]), mask(values[j]))
                state["refs"].append((at + k, ref))

    def _padded_ids(self) -> None:
        """Decide the zero-padded ids of seven or more digits, per column, from the whole file:
        those of one group (the same letters, separator and width) are a study's counter when
        the group has at least :data:`_PADDED_MIN` ids and their numbers fill at least
        :data:`_PADDED_DENSITY` of the span from the smallest to the largest (P0000001 …
        P0000082). Any other is a hospital registration number (H0012345 among P001 …, or
        patients' numbers scattered over millions), and the column is refused."""
        for column, state in self._padded.items():
            if not state["keys"]:
                continue
            keys = np.frombuffer(state["keys"], dtype=np.int64).copy()
            numbers = np.frombuffer(state["numbers"], dtype=np.int64).copy()
            state["keys"], state["numbers"] = array("q"), array("q")
            size = np.bincount(keys)
            low = np.full(len(size), np.iinfo(np.int64).max, dtype=np.int64)
            high = np.zeros(len(size), dtype=np.int64)
            np.minimum.at(low, keys, numbers)
            np.maximum.at(high, keys, numbers)
            span = (high - low + 1).astype(float)
            counter = (size >= _PADDED_MIN) & (size >= _PADDED_DENSITY * span)
            refused = ~counter[keys]
            count = int(refused.sum())
            if not count:
                continue
            shown = [ref for at, ref in state["refs"] if refused[at]][:MAX_ROWS_SHOWN]
            self._add_hits(column, "id-digits", count, shown)

    def _add_hits(self, column, kind: str, count: int, shown: list) -> None:
        """Add ``count`` cells of ``kind`` decided at the end of the file to ``column``'s hits,
        keeping the first :data:`MAX_ROWS_SHOWN` rows in file order."""
        entry = self._hits.setdefault(column, {"kinds": {}, "refs": [], "count": 0})
        entry["kinds"][kind] = entry["kinds"].get(kind, 0) + count
        entry["count"] += count
        entry["refs"] = sorted(
            [*entry["refs"], *shown], key=lambda r: (r.position is None, r.position or 0)
        )[:MAX_ROWS_SHOWN]

    def _dated_ids(self) -> None:
        """Decide the ids of letters and six digits that read as a date, per column, from the
        whole file: one is a study's number when another id of letters and six digits has a
        number at most :data:`_COUNTER_GAP` away, under the same letters (HCC190101 beside
        HCC190102), or under any when the column has at most :data:`_ID_SITES` different
        letters (TH190103 beside KR190102: sites sharing a counter), or when at least half the
        ids under its letters read as no date (HCC000001 … HCC191231: a counter). Any other is
        initials and a birth date (KMS600101 among P001 …, or among other initials: initials
        differ between patients and birth dates lie far apart), and the column is refused.
        Nothing depends on where the chunks end."""
        for column, dated in self._dated.items():
            if not dated["flags"]:
                continue
            keys = np.frombuffer(dated["keys"], dtype=np.int64).copy()
            flags = np.frombuffer(dated["flags"], dtype=np.int8).copy()
            codes = keys // 1_000_000
            shaped = np.bincount(codes)
            dates = np.bincount(codes, weights=flags > 0)
            counter = (shaped - dates) * 2 >= shaped  # letters mostly followed by no date
            distinct = np.unique(keys)  # sorted: by letters, then number
            if len(dated["letters"]) <= _ID_SITES:  # sites: any other number nearby
                numbers = np.sort(distinct % 1_000_000)
                x = distinct % 1_000_000
                within = np.searchsorted(numbers, x + _COUNTER_GAP, "right") - np.searchsorted(
                    numbers, x - _COUNTER_GAP, "left"
                )
                near = within >= 2  # itself and another
            else:  # initials: only the same letters nearby
                of = distinct // 1_000_000
                close = (of[1:] == of[:-1]) & (np.diff(distinct) <= _COUNTER_GAP)
                near = np.zeros(len(distinct), dtype=bool)
                near[1:] |= close
                near[:-1] |= close
            alone = (flags == 1) & ~near[np.searchsorted(distinct, keys)] & ~counter[codes]
            dated["flags"], dated["keys"] = array("b"), array("q")
            counted = np.zeros(len(shaped), dtype=bool)  # a counter's letters, not initials
            counted[[c for n, c in dated["letters"].items() if n.startswith("#")]] = True
            for kind, which in (("initials-dob", ~counted[codes]), ("counter-dob", counted[codes])):
                count = int((alone & which).sum())
                if count:
                    shown = [ref for at, ref in dated["refs"] if alone[at] and which[at]]
                    self._add_hits(column, kind, count, shown[:MAX_ROWS_SHOWN])

    def _bare_numbers(self, column, values, positions, make_ref, codes, uniques, flagged) -> None:
        """Whole cells of 7 or 8 digits in a free column: hospital numbers, decided at the end
        (:meth:`problems`) from what else the column holds. One with a leading zero (0012345)
        is no measurement and counts at once. ``codes`` and ``uniques`` are the cells' distinct
        texts; ``flagged`` marks the texts another rule already refused."""
        state = self._bare.setdefault(
            column, {"refs": [], "count": 0, "cells": 0, "numbers": 0, "bare": 0}
        )
        texts = [t if t.isascii() else canonical(t).strip() for t in uniques]
        bare = np.array([_BARE_NUMBER.fullmatch(t) is not None for t in texts], dtype=bool)
        numbers = np.array([_PLAIN_NUMBER.fullmatch(t) is not None for t in texts], dtype=bool)
        # a measurement is often round (5800000: three significant digits or fewer) or repeated
        # (a lab's upper limit); a hospital number is neither
        like = np.array([len(t.split(".")[0].rstrip("0")) <= 3 for t in texts], dtype=bool) & bare
        counts = np.bincount(codes, minlength=len(uniques))
        like |= bare & (counts > 1)
        state["cells"] += len(codes)
        state["numbers"] += int(counts[numbers].sum())
        state["bare"] += int(counts[bare].sum())
        state["like"] = state.get("like", 0) + int(counts[like].sum())
        for j in np.flatnonzero((bare & ~flagged)[codes]):
            ref = make_ref(int(positions[j]), mask(values[j]))
            if texts[codes[j]].startswith("0"):
                self._record(column, "id-digits", ref)
                continue
            state["count"] += 1
            if len(state["refs"]) < MAX_ROWS_SHOWN:
                state["refs"].append(ref)

    def problems(self) -> list[Problem]:
        """Every identifier problem found, then the free-text warnings, in column order."""
        self._dated_ids()
        self._padded_ids()
        for column, state in self._bare.items():
            # a column of measurements: at least half its cells plain numbers, and at least one
            # number in five not a whole number of 7 or 8 digits (HBV DNA 1234567 IU/mL among
            # 350 and 2.1e4); otherwise its 7- and 8-digit cells are record numbers
            # number in five not a whole number of 7 or 8 digits; or its name says it measures
            # (hbv_dna_iu_ml, platelet_count), or its long numbers vary like measurements (at
            # least half of them round or repeated: 5800000, 12000000)
            numbers, bare = state["numbers"], state["bare"]
            measured = (
                numbers * 2 >= state["cells"]
                and (numbers - bare) * 5 >= numbers
                or _MEASURE_NAME.search(_normalise(column)) is not None
                or state.get("like", 0) * 2 >= bare
            )
            if state["count"] and not measured:
                for ref in state["refs"]:
                    self._record(column, "id-digits", ref)
                entry = self._hits[column]
                extra = state["count"] - len(state["refs"])
                entry["kinds"]["id-digits"] += extra
                entry["count"] += extra
            state["count"] = 0
        for column, counts in self._names.items():
            refs = self._name_refs.get(column, {})
            for text, n in counts.items():
                if n > _NAME_REPEATS:
                    continue
                ref = refs.get(text)  # only the first 1000 distinct names keep a row reference
                if ref is not None:
                    self._record(column, "name", ref)
                    n -= 1
                entry = self._hits.setdefault(column, {"kinds": {}, "refs": [], "count": 0})
                entry["kinds"]["name"] = entry["kinds"].get("name", 0) + n
                entry["count"] += n
        out = list(self.by_name)
        order = {c: i for i, c in enumerate(self.columns)}
        for column in sorted(self._hits, key=lambda c: order.get(c, len(order))):
            entry = self._hits[column]
            found = entry["kinds"]
            # Luhn's check digit passes for one number in ten by chance: among more hospital
            # numbers that fail it, the few 9-digit ones that pass are hospital numbers too, not
            # Canadian social insurance numbers (the message named both for a column of MRNs)
            if "sin" in found and found.get("id-digits", 0) > found["sin"]:
                found["id-digits"] += found.pop("sin")
            kinds = sorted(found, key=_KIND_ORDER.index)
            what = ", ".join(describe(k) for k in kinds)
            out.append(
                Problem(
                    printable_header(column),
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
                    printable_header(column),
                    f"looks like free text ({n} cell{'s' if n != 1 else ''} of "
                    f"{_FREE_TEXT_WORDS}+ words or {_FREE_TEXT_CHARS}+ characters); the "
                    "privacy guard cannot find every name, date or place in prose",
                    "free-text",
                    hint="remove the column unless the analysis needs it; the book does not read it",
                    severity="warning",
                )
            )
        return out


_KIND_ORDER = [k for k, _, _, _ in _DETECTORS] + [
    "record",
    "initials-dob",
    "counter-dob",
    "initials",
    "name-id",
    "name",
    "id-digits",
    "digits",
    "digit-groups",
]


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
    row 1: [masked]
    """
    scanner = IdentifierScanner(df.columns)
    lines = df.attrs.get("line_numbers")
    if lines is not None and len(lines) != len(df):
        lines = None

    def make_ref(i: int, shown: str | None, column: str) -> RowRef:
        # by line (or position) only, never by patient_id (RowRef)
        line = lines[i] if lines is not None else None
        return RowRef(line, shown, position=i)

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


# a count, with or without thousands separators ("1,832 (91.6)", as formatting.count prints it)
_COUNT_CELL = re.compile(r"^\s*(\d{1,3}(?:,\d{3})+|\d+)(\s*\(.*\))?\s*$")


#: What a count reads when it is hidden only so that a small count cannot be worked out from it
#: (complementary suppression, :func:`hidden_counts`): it is not small itself, so not ``"<5"``.
COMPLEMENT_MARK = "hidden"


def hidden_counts(
    counts: Mapping[Hashable, int],
    groups: Iterable[Iterable[Hashable]] = (),
    sums: Mapping[Hashable, Iterable[Hashable]] | None = None,
    threshold: int = SMALL_COUNT_THRESHOLD,
    *,
    hidden: Mapping[Hashable, str] | None = None,
    keep: Iterable[Hashable] = (),
) -> dict[Hashable, str]:
    """Which counts a user's cohort hides, and what each reads: small ones and their complements.

    Primary suppression hides a count of 1 to ``threshold - 1`` patients (it reads
    ``"<threshold"``); 0 is shown (it discloses nobody). That alone is not enough where counts add
    up to a number the reader sees: with N = 82, PR 20 and ORR 24 shown, a CR shown as ``"<5"``
    is 24 - 20 = 4. Complementary (secondary) suppression then hides more counts, which read
    :data:`COMPLEMENT_MARK`:

    * a **group** is a set of counts that add up to a shown total (a categorical variable's
      levels and N; n(≤ c) and n(> c) and their n). When exactly one count of a group is hidden,
      the next-smallest non-zero count of the group is hidden too; and while the hidden counts of
      a group add up to 1 to ``threshold - 1`` (which N minus the shown ones gives), one more;
    * a **sum** ``total: parts`` is a count shown beside its parts (ORR = CR + PR, DCR = CR + PR +
      SD). It is a group whose total is itself a count: when exactly one of the total and its
      parts is hidden, the smallest non-zero other part is hidden (or the total, if no part is
      left), so no single subtraction gives a hidden count back.

    * when the hidden counts of a group (or sum) are all small and add up to as little or as much
      as they can (each 1, or each ``threshold - 1``: two counts of 4 hidden beside a total that
      gives their sum, 8), each is known: one more is hidden.

    The rules are applied, smallest group first, until nothing changes. A count that is not
    displayed (the "no" of a yes/no row shown as its "yes" count alone) belongs in ``counts`` and
    in its group like any other: when it is small, the shown count gives it back and is hidden.

    Parameters
    ----------
    counts : mapping
        Label (any hashable: a row label, a ``(row, column)`` pair) to number of patients.
    groups : iterable of iterables of labels
        Counts that add up to a total the reader sees (or can compute).
    sums : mapping, optional
        A shown count (label) to the labels of its parts.
    threshold : int
        Smallest count shown (default :data:`SMALL_COUNT_THRESHOLD`); ``threshold <= 1`` hides
        nothing.
    hidden : mapping, optional
        Counts already hidden elsewhere (a table's cells, label to what they read): they start
        hidden and keep their mark.
    keep : iterable of labels, optional
        Counts already shown elsewhere (a table's other cells): never picked as a complement, so
        only the other counts (glued into the prose) are hidden to protect a small one.

    Returns
    -------
    dict
        Hidden label to what it reads: ``"<threshold"`` (small) or :data:`COMPLEMENT_MARK`.
        Labels not in it are shown.

    Examples
    --------
    82 patients: CR 4, PR 20, SD 40, PD 18. ORR = CR + PR would give CR back beside PR, so PR is
    hidden too (the ORR, 24, and the DCR stay):

    >>> response = {"CR": 4, "PR": 20, "SD": 40, "PD": 18, "ORR": 24, "DCR": 64}
    >>> hidden_counts(response, groups=[["CR", "PR", "SD", "PD"]],
    ...               sums={"ORR": ["CR", "PR"], "DCR": ["CR", "PR", "SD"]})
    {'CR': '<5', 'PR': 'hidden'}

    A binary variable: the female count is small, and N minus the male count would give it:

    >>> hidden_counts({"M": 78, "F": 4}, groups=[["M", "F"]])
    {'F': '<5', 'M': 'hidden'}

    A missing category (0) is shown and is not the complement; two small counts that add up to
    fewer than 5 take a third with them:

    >>> hidden_counts({"A": 0, "B": 3, "C": 79}, groups=[["A", "B", "C"]])
    {'B': '<5', 'C': 'hidden'}
    >>> hidden_counts({"Vp0": 70, "Vp1": 1, "Vp2": 2, "Vp3": 9}, groups=[["Vp0", "Vp1", "Vp2", "Vp3"]])
    {'Vp1': '<5', 'Vp2': '<5', 'Vp3': 'hidden'}
    >>> hidden_counts({"M": 40, "F": 42}, groups=[["M", "F"]])
    {}

    Two counts of 4, each "<5": beside the 74 others of 82 they add up to 8, and so are both 4;
    a third count is hidden with them:

    >>> hidden_counts({"A": 4, "B": 4, "C": 74}, groups=[["A", "B", "C"]])
    {'A': '<5', 'B': '<5', 'C': 'hidden'}
    >>> hidden_counts({"A": 3, "B": 4, "C": 75}, groups=[["A", "B", "C"]])
    {'A': '<5', 'B': '<5'}

    A sum glued into the prose beside a table whose cells are fixed: the table hid CR (4) and
    showed PR (20); a glued ORR of 24 would give CR back, so the glued count is what is hidden:

    >>> hidden_counts({"CR": 4, "PR": 20, "ORR": 24}, sums={"ORR": ["CR", "PR"]},
    ...               hidden={"CR": "<5"}, keep=["PR"])
    {'CR': '<5', 'ORR': 'hidden'}
    """
    if threshold <= 1:
        return {}
    already = dict(hidden or {})
    counts = {k: int(v) for k, v in counts.items()}
    keep = set(keep)
    hidden = {k: f"<{threshold}" for k, v in counts.items() if 0 < v < threshold and k not in keep}
    hidden.update(already)
    constraints = [(list(g), None) for g in groups]
    constraints += [(list(parts), total) for total, parts in (sums or {}).items()]
    constraints.sort(key=lambda c: len(c[0]))  # a sum of two before the whole distribution
    changed = True
    while changed:
        changed = False
        for parts, total in constraints:
            members = parts + ([] if total is None else [total])
            shut = [m for m in members if m in hidden]
            hidden_parts = sum(counts[m] for m in parts if m in hidden)
            total_known = total is None or total not in hidden
            # small counts only, each 1 to threshold - 1, whose known sum is the least or the most
            # they can add up to (4 + 4 = 8 hidden as "<5" twice: each is 4)
            at_bound = (
                total_known
                and len(shut) > 1
                and all(hidden[m] == f"<{threshold}" for m in shut)
                and hidden_parts in (len(shut), len(shut) * (threshold - 1))
            )
            if not (len(shut) == 1 or (total_known and 0 < hidden_parts < threshold) or at_bound):
                continue
            # the next-smallest non-zero part (first in order among equals), else the total
            open_parts = [m for m in parts if m not in hidden and m not in keep and counts[m] > 0]
            if open_parts:
                pick = min(open_parts, key=lambda m: counts[m])
            elif (
                total is not None
                and total not in hidden
                and total not in keep
                and counts[total] > 0
            ):
                pick = total
            else:
                continue  # nothing left to hide: the group is one count (a cohort of 1-4)
            hidden[pick] = COMPLEMENT_MARK
            changed = True
    return hidden


def hidden_steps(
    values: Sequence[int | None],
    threshold: int = SMALL_COUNT_THRESHOLD,
    *,
    hidden: Iterable[int] = (),
    before: int | None = None,
    after: int | None = None,
) -> set[int]:
    """Which of a column's successive counts to hide so that no step between shown ones is small.

    A column whose rows are cumulative or repeated counts of one cohort (n(≤ c) for successive
    cut-offs; patients alive at successive landmarks) gives a count away between rows: n(≤ 5) −
    n(≤ 4) is the number of patients with exactly 5. Each difference between two successive
    shown counts (and between the first and ``before``, the last and ``after``: known values such
    as 0 or N) is a count too; while one is 1 to ``threshold - 1``, the later of its two rows is
    hidden (the earlier, when the later is ``after``), which merges its step with the next.

    Parameters
    ----------
    values : sequence of int or None
        The column's counts in row order; None for a row with no count (skipped).
    threshold : int
        Smallest step shown (default :data:`SMALL_COUNT_THRESHOLD`); ``threshold <= 1`` hides
        nothing.
    hidden : iterable of int
        Positions already hidden (they stay hidden and are not steps' ends).
    before, after : int, optional
        A value the reader knows before the first row or after the last (N, 0).

    Returns
    -------
    set of int
        Positions hidden, ``hidden`` included.

    Examples
    --------
    n(≤ 4) = 30 and n(≤ 5) = 31 give the one patient with exactly 5 back:

    >>> sorted(hidden_steps([20, 30, 31, 50]))
    [2]

    Alive at landmarks of 82 patients: 80 at the first (82 − 80 = 2), then 60, 58:

    >>> sorted(hidden_steps([80, 60, 58], before=82))
    [0, 2]
    >>> sorted(hidden_steps([40, 30, 20], before=82))
    []

    A hidden row's step merges with the next; if that is still small, one more goes:

    >>> sorted(hidden_steps([10, 12, 13, 30]))
    [1, 2]
    """
    out = set(hidden)
    if threshold <= 1:
        return out
    rows = [i for i, v in enumerate(values) if v is not None]
    while True:
        points = [(None, before)] if before is not None else []
        points += [(i, int(values[i])) for i in rows if i not in out]
        points += [(None, after)] if after is not None else []
        pick = None
        for (i, a), (j, b) in zip(points, points[1:], strict=False):
            if 0 < abs(b - a) < threshold:
                pick = j if j is not None else i
                if pick is not None:
                    break
        if pick is None:
            return out
        out.add(pick)


def suppress_small_counts(
    table: pd.DataFrame,
    threshold: int = SMALL_COUNT_THRESHOLD,
    columns: list[str] | None = None,
    groups: str | Iterable[Iterable[tuple]] | None = None,
    out_of: int | str | None = None,
    steps: Mapping[str, tuple[int | None, int | None]] | Iterable[str] = (),
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
    groups : {"rows", "columns", "both"} or iterable of iterables of (row, column) pairs, optional
        Counts that add up to a total the reader sees, for complementary suppression
        (:func:`hidden_counts`): ``"rows"``, each row's count cells (n(≤ c) and n(> c) of one
        cut-off); ``"columns"``, each count column's cells (a categorical variable's levels, one
        per row, beside N); ``"both"``, each row and each column (a cross-table whose margins
        are shown elsewhere); or explicit groups of ``(index label, column)`` cells. None: small
        cells only.
    out_of : int or str, optional
        Each count is a number of patients out of ``out_of`` (N) who have something (a yes/no
        criterion): N minus a count is the unshown "no" count, and when that is small the count
        reads :data:`COMPLEMENT_MARK`. A column name (one of ``columns``): each row's other
        counts are out of that row's count in it (patients alive at a landmark, and those of
        them exposed by then: alive minus exposed is the unshown "not exposed" count).
    steps : iterable of str, or mapping of str to (before, after)
        Columns whose successive rows count one cohort again (n(≤ c) for successive cut-offs,
        patients alive at successive landmarks): the difference between two successive shown
        rows is a count, and a small one hides a row's cell (:func:`hidden_steps`; with a
        mapping, ``before`` and ``after`` are values the reader knows beyond the first and last
        row, such as N). The rules are applied with ``groups`` and ``out_of`` until nothing
        changes.

    Returns
    -------
    pandas.DataFrame
        A copy; changed columns become text. ``attrs["suppressed"]`` counts the hidden cells,
        ``attrs["complementary"]`` those of them hidden only to protect a small one (they read
        :data:`COMPLEMENT_MARK`).

    Notes
    -----
    Without ``groups`` this is primary suppression only: a hidden cell may still be recoverable
    from a printed total.

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
    >>> sex = pd.DataFrame({"n (%)": ["78 (95.1)", "4 (4.9)"]}, index=["M", "F"])
    >>> suppress_small_counts(sex, groups="columns")["n (%)"].tolist()   # 82 - 78 = 4
    ['hidden', '<5']
    >>> flags = pd.DataFrame({"n": [80, 41, 3]}, index=["poor response", "new lesions", "spread"])
    >>> suppress_small_counts(flags, out_of=82)["n"].tolist()   # 82 - 80 = 2 patients without
    ['hidden', 41, '<5']
    >>> landmarks = pd.DataFrame({"alive": [40, 12, 3], "exposed": [37, 3, 0]})
    >>> suppress_small_counts(landmarks, out_of="alive")["exposed"].tolist()   # 40 - 37 = 3
    ['hidden', '<5', 0]
    >>> cuts = pd.DataFrame({"low": [20, 30, 31], "high": [62, 52, 51]})   # 31 - 30 = 1
    >>> suppress_small_counts(cuts, groups="rows", steps={"low": (0, 82), "high": (82, 0)}).values.tolist()
    [[20, 62], [30, 52], ['hidden', 'hidden']]
    """
    out = table.copy()
    out.attrs["suppressed"] = 0
    out.attrs["complementary"] = 0
    if threshold <= 1:
        return out
    if columns is None:
        columns = [c for c in out.columns if _is_count_column(out[c])]
    counts = {
        (i, c): n
        for c in columns
        for i, v in zip(out.index, out[c], strict=True)
        if (n := _count_of(v)) is not None
    }
    if groups == "rows":
        groups = [[(i, c) for c in columns if (i, c) in counts] for i in out.index]
    elif groups == "columns":
        groups = [[(i, c) for i in out.index if (i, c) in counts] for c in columns]
    elif groups == "both":
        groups = [[(i, c) for c in columns if (i, c) in counts] for i in out.index]
        groups += [[(i, c) for i in out.index if (i, c) in counts] for c in columns]
    elif groups is None:
        groups = []
    groups = [list(g) for g in groups]
    cells = set(counts)
    if isinstance(out_of, str):  # each row's counts out of its count in column out_of
        for i, c in list(counts):
            total = counts.get((i, out_of))
            if c != out_of and total is not None:
                counts[("not", (i, c))] = total - counts[(i, c)]
                groups.append([(i, c), ("not", (i, c))])
    elif out_of is not None:  # the unshown "no" count of each cell, N - k
        for key in list(counts):
            counts[("not", key)] = int(out_of) - counts[key]
            groups.append([key, ("not", key)])
    groups = [[k for k in g if k in counts] for g in groups]
    bounds = dict(steps) if isinstance(steps, Mapping) else {c: (None, None) for c in steps}
    hidden = hidden_counts(counts, groups=groups, threshold=threshold)
    while bounds:  # small steps between rows, then the complements they call for, until stable
        more = dict(hidden)
        for c, (before, after) in bounds.items():
            column = [counts.get((i, c)) for i in out.index]
            shut = {k for k, i in enumerate(out.index) if (i, c) in hidden}
            for k in (
                hidden_steps(column, threshold, hidden=shut, before=before, after=after) - shut
            ):
                more[(out.index[k], c)] = COMPLEMENT_MARK
        if more == hidden:
            break
        hidden = hidden_counts(counts, groups=groups, threshold=threshold, hidden=more)
    for c in columns:
        out[c] = pd.Series(
            [hidden.get((i, c), v) for i, v in zip(out.index, out[c], strict=True)],
            index=out.index,
            dtype=object,
        )
    shown_hidden = [m for k, m in hidden.items() if k in cells]
    out.attrs["suppressed"] = len(shown_hidden)
    out.attrs["complementary"] = sum(m == COMPLEMENT_MARK for m in shown_hidden)
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
            return int(m.group(1).replace(",", ""))
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
    groups: str | Iterable[Iterable[tuple]] | None = None,
    out_of: int | str | None = None,
    steps: Mapping[str, tuple[int | None, int | None]] | Iterable[str] = (),
) -> pd.DataFrame:
    """:func:`suppress_small_counts` for a user's cohort; the book's own tables are unchanged.

    Chapters call this on every count table with their ``cohort_path`` parameter (and,
    optionally, a ``min_cell_count`` parameter passed as ``threshold``), and ``groups`` where
    the counts add up to a shown total (complementary suppression, :func:`hidden_counts`).

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
    return suppress_small_counts(
        table, threshold=threshold, columns=columns, groups=groups, out_of=out_of, steps=steps
    )


def small_groups(
    sizes: Mapping[Hashable, int], *, user: bool, threshold: int = SMALL_COUNT_THRESHOLD
) -> list[Hashable]:
    """The groups whose results a user's cohort does not show: those of 1 to ``threshold - 1``
    patients. A median survival of so few patients is about one patient's death time, and
    the Kaplan-Meier figures do not draw them; their median, its interval and any test that
    compares them print :data:`NOT_SHOWN_SMALL_GROUP`. An empty group has no result to hide,
    and the book's own cohort (``user=False``) hides nothing.

    Parameters
    ----------
    sizes : mapping
        Each group to its number of patients.
    user : bool
        A user's cohort (:func:`is_user_cohort`).
    threshold : int
        The smallest group shown (:data:`SMALL_COUNT_THRESHOLD`).

    Returns
    -------
    list
        The groups to hide, in the order of ``sizes``.

    Examples
    --------
    >>> small_groups({"2-4 TACE": 11, "> 4 TACE": 2, "none": 0}, user=True)
    ['> 4 TACE']
    >>> small_groups({"2-4 TACE": 11, "> 4 TACE": 2}, user=False)
    []
    """
    if not user:
        return []
    return [group for group, n in sizes.items() if 0 < int(n) < threshold]


def glued_counts(
    counts: Mapping[Hashable, int],
    *,
    user: bool,
    groups: Iterable[Iterable[Hashable]] = (),
    sums: Mapping[Hashable, Iterable[Hashable]] | None = None,
    out_of: int | None = None,
    hidden: Mapping[Hashable, str] | None = None,
    keep: Iterable[Hashable] = (),
    threshold: int = SMALL_COUNT_THRESHOLD,
) -> dict[Hashable, str]:
    """Counts glued into a chapter's prose, as a user's cohort prints them.

    Each count reads as a whole number (with thousands separators from 1,000), or ``"<threshold"`` when it is 1 to ``threshold - 1``
    patients, or :data:`COMPLEMENT_MARK` when it would give a hidden count back by subtraction
    (:func:`hidden_counts`): ``groups`` add up to a total the reader sees, ``sums`` are glued
    totals of other counts, and ``out_of`` is the N each glued count is a "yes" of (N minus it is
    the unshown "no" count). Cells of a table the page shows take part as they are shown:
    ``hidden`` (already hidden, with their mark) and ``keep`` (shown); only the glued counts are
    hidden to protect them. On the book's cohort (``user=False``) every count is its number.

    Returns
    -------
    dict
        Every label of ``counts`` to its text.

    Examples
    --------
    82 patients, of whom 80 meet a criterion: 82 - 80 gives the 2 who do not.

    >>> glued_counts({"met": 80, "deaths": 3}, user=True, out_of=82)
    {'met': 'hidden', 'deaths': '<5'}
    >>> glued_counts({"met": 80, "deaths": 3}, user=False, out_of=82)
    {'met': '80', 'deaths': '3'}

    A count of 1,000 or more reads with thousands separators (:func:`analysis.formatting.count`):

    >>> glued_counts({"deaths": 1659, "n": 2000}, user=True)
    {'deaths': '1,659', 'n': '2,000'}

    A glued total of a table's column: one cell hidden, the others shown, so the total goes:

    >>> glued_counts({"a": 3, "b": 20, "sum": 23}, user=True, sums={"sum": ["a", "b"]},
    ...              hidden={"a": "<5"}, keep=["b"])["sum"]
    'hidden'
    """
    texts = {k: fmt_count(int(v)) for k, v in counts.items()}
    if not user:
        return texts
    fixed = set(keep) | set(hidden or {})
    every = {k: int(v) for k, v in counts.items()}
    groups = [list(g) for g in groups]
    if out_of is not None:
        for key in [k for k in counts if k not in fixed]:
            every[("not", key)] = int(out_of) - every[key]
            groups.append([key, ("not", key)])
    marks = hidden_counts(
        every, groups=groups, sums=sums, threshold=threshold, hidden=hidden, keep=keep
    )
    return {k: marks.get(k, text) for k, text in texts.items()}


def shown_counts(
    counts: pd.Series,
    cohort_path: Path | str | None,
    threshold: int = SMALL_COUNT_THRESHOLD,
) -> pd.Series:
    """A series of counts that add up to N (the levels of one variable) as a page prints them.

    The book's cohort is shown whole. On a user's cohort (:func:`is_user_cohort` of
    ``cohort_path``) a count of 1 to ``threshold - 1`` patients reads ``"<threshold"`` and the
    next smallest :data:`COMPLEMENT_MARK`, so that N minus the others does not give a hidden one
    back (:func:`suppress_if_user_cohort` with ``groups="columns"``).

    Parameters
    ----------
    counts : Series
        Counts by level, e.g. ``cohort["bclc_stage"].value_counts()``.
    cohort_path : path-like or None
        The chapters' ``cohort_path`` parameter: ``None`` or ``data/cohort.csv`` is the book's.
    threshold : int, default SMALL_COUNT_THRESHOLD
        Smallest count shown.

    Returns
    -------
    Series
        The same index and name; a hidden count is its mark (a string).

    Examples
    --------
    >>> from analysis import COHORT_CSV
    >>> stages = pd.Series({"A": 3, "B": 40, "C": 39})
    >>> shown_counts(stages, COHORT_CSV).tolist()
    [3, 40, 39]
    >>> shown_counts(stages, "my_cohort.csv").tolist()
    ['<5', 40, 'hidden']
    """
    table = counts.to_frame("n")
    shown = suppress_if_user_cohort(table, cohort_path, threshold, columns=["n"], groups="columns")
    return shown["n"].rename(counts.name)


__all__ += ["shown_counts"]


# --------------------------------------------------------------------------------------------
# Extremes, medians, quartiles and ages on a user's cohort (self-contained: numpy only)
# --------------------------------------------------------------------------------------------
#: Percentiles shown in place of the minimum and maximum on a user's cohort.
CENTRAL_PERCENTILES = (5.0, 95.0)

#: k of :func:`central_range` and :func:`shown_percentile`: a printed 5th or 95th percentile,
#: median or quartile may equal patients' value (as printed) only when at least this many patients
#: have it, so it is never one patient's value. Not :data:`SMALL_COUNT_THRESHOLD` (5): a tied bound tells neither who nor how many share
#: the value, and with k = 5 values recorded on a coarse grid (simulated log-normal AFP at
#: 0.1 ng/mL, PIVKA-II in whole units) had 22-44 % of their ranges hidden at 150-300 patients,
#: against at most 4 % with k = 2.
CENTRAL_MIN_SHARED = 2

#: How many times a bound of :func:`central_range` (or a median or quartile of
#: :func:`shown_percentile`) may move inward, past the values it prints as, before it is hidden
#: (each move passes one distinct value: a few patients at most).
CENTRAL_MOVES = 3

#: Ages at or above this are shown as "≥ 90" on a user's cohort (HIPAA Safe Harbor: ages over 89
#: are identifiers and must be aggregated into one category of 90 or older).
AGE_TOP_CODE = 90

__all__ += [
    "CENTRAL_PERCENTILES",
    "CENTRAL_MIN_SHARED",
    "CENTRAL_MOVES",
    "AGE_TOP_CODE",
    "user_percentile",
    "shown_percentile",
    "shown_quartiles",
    "central_range",
    "shared_by",
    "top_code",
]


def _percentile_position(n: int, q: float, method: str) -> float:
    """0-based (fractional) rank of the ``q``-th percentile of ``n`` sorted values, before clamping."""
    p = q / 100.0
    if method == "linear":  # Hyndman-Fan type 7, numpy's default
        return (n - 1) * p
    if method == "weibull":  # type 6, SPSS's HAVERAGE
        return p * (n + 1) - 1
    raise ValueError(f"method: 'linear' or 'weibull', got {method!r}")


def _sorted_values(values) -> np.ndarray:
    """The numbers of ``values``, missing ones left out, sorted."""
    x = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    return np.sort(np.asarray(x, dtype=float))


def user_percentile(values, q: float, *, method: str = "linear") -> float | None:
    """The ``q``-th percentile of ``values``, or None when the smallest or largest value enters it.

    A percentile interpolated between two inner order statistics is not an extreme patient's value;
    one that touches the first or last (small samples, or percentiles near 0 or 100) would show or
    betray it. Missing values are left out. A position that falls exactly on an inner order
    statistic gives that (non-extreme) value, which may be one patient's: what a user's cohort
    shows goes through :func:`shown_percentile` (medians, quartiles) or :func:`central_range`
    (5th–95th percentile), which never show one patient's value.

    Examples
    --------
    The 5th percentile (linear) stays clear of the minimum from 21 values on:

    >>> user_percentile(range(20), 5) is None, user_percentile(range(21), 5)
    (True, 1.0)
    >>> user_percentile([1, 2, 3, 4, 5, 6, 7], 25, method="weibull")   # quartiles: from 7 values on
    2.0
    >>> user_percentile([1, 2, 3, 4, 5, 6], 25, method="weibull") is None
    True
    """
    x = _sorted_values(values)
    n = x.size
    if n < 3:
        return None
    h = _percentile_position(n, q, method)
    if h < 1 or h > n - 2:
        return None
    return float(np.percentile(x, q, method=method))


def shown_percentile(
    values, q: float, decimals: int | None = None, *, method: str = "linear"
) -> float | None:
    """The ``q``-th percentile as a user's cohort may show it: never one patient's value.

    The rule of :func:`central_range`, for any percentile (a median, a quartile, the 5th or
    95th): :func:`user_percentile` (None where the smallest or largest value would enter), and a
    value that prints (at ``decimals``) as the value of fewer than :data:`CENTRAL_MIN_SHARED`
    patients -- an odd number of patients puts the median on one of them, and a quartile can
    land on one too -- moves inward, half-way to the next distinct value, which is nobody's;
    after :data:`CENTRAL_MOVES` moves that all land on a single patient's value it is None
    (say "hidden"). Inward is towards the median: up below the 50th percentile, down above it;
    the median itself moves to the nearer of its two half-way points (the lower one when both
    are as near). A move is never half-way to the smallest or largest value, which would then
    enter (the median of three moved to ``(x1 + x2) / 2`` and their mean give ``x3``): a
    side with no other value to move to is None. Fewer than :data:`SMALL_COUNT_THRESHOLD`
    values (1–4, as a count of 1–4 patients) have no shown percentile: a median two of them
    share, with their mean and SD, gives the others' values (``[a, b, b, d]``: ``a + d`` from
    the mean, ``a² + d²`` from the SD).

    Kaplan–Meier medians (:func:`analysis.survival.median_survival`) are not summaries of a
    column: a survival median is an event time, one patient's death or progression, by
    definition, and is shown as it is.

    Parameters
    ----------
    values : array-like
        The cohort's values; missing ones are left out.
    q : float
        Percentile, 0–100.
    decimals : int, optional
        Decimals the value is printed at; None compares unrounded values (a figure that draws
        it).
    method : {"linear", "weibull"}
        numpy's percentile method: ``"linear"`` (type 7, R's default) or ``"weibull"`` (type 6,
        SPSS's ``HAVERAGE``). Both give the same median.

    Returns
    -------
    float or None

    Examples
    --------
    Seven patients: the median is the fourth one's value, so it moves half-way to a neighbour
    (both 0.5 away here: the lower); a value two patients share stays:

    >>> shown_percentile([1, 2, 3, 4, 5, 6, 7], 50)
    3.5
    >>> shown_percentile([1, 2, 3, 4, 4, 6, 7], 50)
    4.0
    >>> shown_percentile([1, 2, 3, 4, 6, 7], 50)        # even: (3 + 4) / 2, nobody's value
    3.5
    >>> shown_percentile([1, 2, 3, 4, 5, 6, 7], 25, method="weibull")   # 2.0, moved up
    2.5
    >>> shown_percentile([1.0, 2.0, 2.96, 3.5, 9.0], 50, decimals=1)    # 2.96 prints as 3.0
    3.23
    >>> shown_percentile([1, 2], 50) is None          # the median of two is both extremes' mean
    True
    >>> shown_percentile([41, 63, 88], 50) is None    # half-way to 41 or to 88: hidden
    True
    >>> shown_percentile([41, 63, 63, 88], 50) is None  # four values: hidden
    True
    """
    x = _sorted_values(values)
    if x.size < SMALL_COUNT_THRESHOLD:  # with the mean, a tie gives the others' values
        return None
    value = user_percentile(x, q, method=method)
    if value is None:
        return None
    if q != 50:
        return _clear_bound(x, value, decimals, inward=1 if q < 50 else -1)
    below, above = (_clear_bound(x, value, decimals, inward=side) for side in (-1, 1))
    moved = [v for v in (below, above) if v is not None]
    return min(moved, key=lambda v: abs(v - value)) if moved else None


def shown_quartiles(
    values, decimals: int | None = None, *, method: str = "weibull"
) -> tuple[float | None, float | None, float | None]:
    """Lower quartile, median and upper quartile as a user's cohort may show them.

    Each is :func:`shown_percentile` (never one patient's value; None where hidden). When moving
    put a quartile beyond the median (small cohorts on a coarse grid), both quartiles are None:
    an interquartile range that does not hold its median is not shown.

    Examples
    --------
    Nine patients (SPSS quartiles, type 6, at ranks 2.5 and 7.5 of 10: interpolated, nobody's
    value); the median, the fifth patient's value, moves half-way to a neighbour:

    >>> shown_quartiles([1, 2, 3, 4, 5, 6, 7, 8, 9])
    (2.5, 4.5, 7.5)
    >>> shown_quartiles([1, 2, 3, 4, 5, 6])        # too few for quartiles clear of the extremes
    (None, 3.5, None)
    """
    x = _sorted_values(values)
    q1, median, q3 = (shown_percentile(x, q, decimals, method=method) for q in (25, 50, 75))
    inner = [v for v in (q1, median, q3) if v is not None]
    if q1 is not None and q3 is not None and inner != sorted(inner):
        q1 = q3 = None
    return q1, median, q3


def central_range(values, decimals=None) -> tuple[float, float] | None:
    """The 5th and 95th percentiles (linear interpolation), kept clear of every single patient's value.

    What a user's cohort shows in place of its minimum–maximum. Two rules:

    * below 21 values the 5th or 95th percentile would draw on the smallest or largest value
      (:func:`user_percentile`): None (say "hidden");
    * a bound may print as patients' value (at ``decimals``) only when at least
      :data:`CENTRAL_MIN_SHARED` (2) patients have that value: never one patient's value. At 21,
      41, 61, … values the linear 5th and 95th percentiles fall exactly on the second smallest
      and second largest value, and an interpolated bound can print as a neighbour's value
      (``12.96`` prints as ``13.0``). Such a bound moves inward (towards the median) to half-way
      between the value it prints as and the next distinct value, which is nobody's value unless
      printing rounds it onto one; after :data:`CENTRAL_MOVES` (3) moves that all land on a
      single patient's value, the range is None.

    Parameters
    ----------
    values : array-like
        The cohort's values; missing ones are left out.
    decimals : int or (int, int), optional
        Decimals the lower and upper bound are printed at (one number for both); None compares
        unrounded values (a figure that draws the bounds).

    Examples
    --------
    >>> central_range(np.arange(22.0))            # interpolated: 1.05 and 19.95, nobody's value
    (1.05, 19.95)
    >>> central_range(np.arange(21.0))            # 1.0 and 19.0 would be single values: moved
    (1.5, 18.5)
    >>> central_range(np.arange(21.0), decimals=0) is None   # any bound prints as one patient's
    True
    >>> central_range([1.0] * 2 + list(range(2, 21)))   # 1.0 is two patients' value; 19 one's
    (1.0, 18.5)
    >>> central_range([1.7, 5.0, 2199.4]) is None
    True
    """
    x = _sorted_values(values)
    d_lo, d_hi = decimals if isinstance(decimals, tuple) else (decimals, decimals)
    lo, hi = (
        shown_percentile(x, q, d) for q, d in zip(CENTRAL_PERCENTILES, (d_lo, d_hi), strict=True)
    )
    return None if lo is None or hi is None or lo > hi else (lo, hi)


def shared_by(values, bound: float, decimals: int | None = None) -> int:
    """How many of ``values`` equal ``bound`` -- as printed at ``decimals`` (half up), if given.

    Examples
    --------
    >>> shared_by([1.0, 2.0, 2.0, 2.04, 3.0], 2.0), shared_by([1.0, 2.0, 2.0, 2.04, 3.0], 2.0, 1)
    (2, 3)
    """
    x = np.asarray(values, dtype=float)
    if decimals is None:
        return int(np.count_nonzero(x == bound))
    text = rounded(bound, decimals)
    near = x[np.abs(x - float(text)) <= 0.5 * 10.0**-decimals * (1 + 1e-9)]  # the printed bin
    return sum(rounded(v, decimals) == text for v in near)  # then exactly, half up


def _clear_bound(x: np.ndarray, bound: float, decimals: int | None, inward: int) -> float | None:
    """``bound``, or moved inward one distinct value at a time (at most :data:`CENTRAL_MOVES`)
    while it prints as the value of 1 to :data:`CENTRAL_MIN_SHARED` - 1 patients; None when a
    move would be half-way to the smallest or largest value (``x`` is sorted)."""

    def ok(b: float) -> bool:
        m = shared_by(x, b, decimals)
        return m == 0 or m >= CENTRAL_MIN_SHARED

    def printed_as(b: float) -> np.ndarray:  # the values that print as b
        if decimals is None:
            return x[x == b]
        text = rounded(b, decimals)
        near = x[np.abs(x - float(text)) <= 0.5 * 10.0**-decimals * (1 + 1e-9)]
        return np.array([v for v in near if rounded(v, decimals) == text])

    if ok(bound):
        return bound
    edge = printed_as(bound).max() if inward > 0 else printed_as(bound).min()
    for _ in range(CENTRAL_MOVES):
        beyond = x[x > edge] if inward > 0 else x[x < edge]
        if not beyond.size:
            return None
        step = beyond.min() if inward > 0 else beyond.max()
        if step <= x[0] or step >= x[-1]:
            # half-way to the smallest or largest value draws on it (a median of three moved
            # to (x1 + x2) / 2 gives x3 = 3 * mean - 2 * median): as user_percentile, hidden
            return None
        bound = float((edge + step) / 2)  # between two neighbouring values: nobody's
        if ok(bound):
            return bound
        same = printed_as(bound)  # printing rounded it onto a single patient's value
        edge = max(step, same.max()) if inward > 0 else min(step, same.min())
    return None


def top_code(value: float, text: str, limit: float = AGE_TOP_CODE) -> str:
    """``text`` (the printed ``value``), or ``"≥ limit"`` when the value is at or above ``limit``.

    For ages on a user's cohort: an age summary of 90 or more is shown as one category.

    Examples
    --------
    >>> top_code(60.5, "60.5"), top_code(93.2, "93.2"), top_code(89.96, "90.0")
    ('60.5', '≥ 90', '≥ 90')
    """
    shown_high = _printed_at_least(text, limit)  # 89.96 prints as 90.0
    if shown_high or (value is not None and np.isfinite(value) and value >= limit):
        return f"≥ {limit:g}"
    return text


def _printed_at_least(text: str, limit: float) -> bool:
    try:
        return float(text.replace(",", "")) >= limit
    except ValueError:
        return False
