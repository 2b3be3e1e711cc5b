"""The identifier guard on street addresses, titles and patient labels before a surname, record
numbers named in ``patient_id``, and names romanised from Cantonese, Hokkien, Wade–Giles,
Japanese and Vietnamese; and the clinical words, places and study codes next to each rule that
must pass (``NG tube``, ``3-way stopcock``, ``HN-001``, ``huang qi``, ``Patient: Stable``)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from cli_output import unwrapped
from test_cohort import HEADER, enough_rows, problems_of, valid_rows, write

from analysis import __main__ as entry
from analysis.privacy import candidate_mask, find_identifiers, identifier_kind


def _refused(tmp_path, value, column="note"):
    """The loader's message for a cohort with ``value`` in one row of an extra ``column``."""
    rows = [{**r, column: v} for r, v in zip(valid_rows(), ["", value, "", ""], strict=True)]
    message, problems = problems_of(write(tmp_path, rows, header=[*HEADER, column]))
    assert [p.code for p in problems] == ["identifier"]
    return message


def _errors(frame):
    return [p for p in find_identifiers(frame) if p.severity == "error"]


def _passes(value, column="note"):
    """No error (a long cell's free-text warning aside)."""
    return _errors(pd.DataFrame({"patient_id": ["P001", "P002"], column: [value, ""]})) == []


def _id_passes(value):
    return _errors(pd.DataFrame({"patient_id": [value, "P002", "P003"]})) == []


def _no_part_shown(message, value):
    """Neither the value nor any capitalised word or number of it is in the message."""
    assert value not in message
    for word in value.replace(",", " ").split():
        if len(word) >= 3 and (word[0].isupper() or word.isdigit()):
            assert word not in message, word


def _refused_as_name(tmp_path, value):
    """A note column holding ``value`` is refused as holding personal names, no part shown;
    the message."""
    message = _refused(tmp_path, value)
    assert (
        "column note: looks like a direct identifier (its values contain personal names" in message
    )
    _no_part_shown(message, value)
    return message


# --- street addresses --------------------------------------------------------------------------
ADDRESSES = [
    "12 Rue de la Paix",
    "45 avenue Victor Hugo, 75016 Paris",
    "12 RUE DE LA PAIX",
    "Hauptstraße 5",
    "Bahnhofstr. 12",
    "Berliner Straße 12",
    "221B Baker Street",
    "221B BAKER STREET",
    "123 Main St., Apt 4",
    "lives at 123 Main St., Apt 4",
    "5 High Street",
    "123 main street",
    "1600 Pennsylvania Ave NW",
    "12 Mulholland Dr Los Angeles",
    "Calle Mayor 5",
    "Calle de Alcalá, nº 5",
    "Rua Augusta, 100",
    "Av. Paulista, 1578",
    "Via Roma 12",
    "Jalan Ampang 12",
    "Jl. Sudirman No. 5",
    "Keizersgracht 123",
    "Nørregade 3",
    "Teheran-ro 123, Gangnam-gu",
    "123 Teheran-ro",
    "Yeoksam-dong 123-45",
    "1-2-3 Nishi-Shinjuku, Shinjuku-ku",
    "3-chome",
    "88 Renmin Lu",
    "12 đường Lê Lợi, Quận 1",
    "số 5 phố Huế",
    "hẻm 34/2 Nguyễn Trãi",
    "Phường 5, Quận 3",
    "12 duong Le Loi",
    "PO Box 123",
    "P.O. Box 4567",
    "Postfach 1234",
    # addresses from Singapore, Malaysia, the Philippines, Thailand, Taiwan, China, Korea, Japan
    "Blk 123 Ang Mo Kio Ave 3 #05-67",
    "No. 12, Jalan Bukit Bintang, 55100 Kuala Lumpur",
    "123 Rizal St., Brgy. San Antonio",
    "99/9 Moo 5, Sukhumvit Road",
    "No. 7, Zhongshan S. Rd., Zhongzheng Dist., Taipei",
    "Room 501, No. 88 Jianguo Road",
    "Jianguo Lu 88 Hao",
    "Seoul, Gangnam-gu, Teheran-ro 123",
    "Tokyo-to Shinjuku-ku Nishi-Shinjuku 2-8-1",
    "Số 1 Tôn Thất Tùng",
    # the Malaysian and Indonesian order with the house number first
    "12 Jalan Ampang",
    "seen at home, 22 Jalan Bukit Bintang",
    "Lot 5 Jalan Tun Razak",
    "5 Jl. Merdeka",
]


@pytest.mark.parametrize("value", ADDRESSES)
def test_street_addresses_are_refused_in_any_free_column(value):
    assert identifier_kind(value) == "address"
    assert candidate_mask(np.array([value], dtype=object)).all()


@pytest.mark.parametrize(
    ("value", "column"),
    [
        ("12 Rue de la Paix", "residence"),
        ("Hauptstraße 5, Berlin", "domicile_info"),
        ("221B Baker Street", "where_lives"),
        ("12 đường Lê Lợi, Quận 1", "ghi_chu"),
        ("1-2-3 Nishi-Shinjuku, Shinjuku-ku", "memo"),
    ],
)
def test_an_address_column_under_another_name_is_refused_naming_column_and_kind(
    tmp_path, value, column
):
    message = _refused(tmp_path, value, column)
    assert f"column {column}: looks like a direct identifier (its values contain street" in message
    _no_part_shown(message, value)


@pytest.mark.parametrize(
    "value",
    [
        "3-way stopcock",
        "2 Way Foley catheter",
        "Mild ascites, 2 Way",
        "6 Min Walk Test",
        "2 weeks on the road",
        "5 km road",
        "seen 3 Months With Dr",
        "2 Leads St Elevation",
        "df 2 Chi Square",
        "2 Stents In Place",
        "2 Weeks Close",
        "3 Close Contacts",
        "c/ Sorafenib 400",
        "Via TACE 2 sessions",
        "Via Port 2",
        "via femoral access 2",
        "2 AV Block",
        "Mobitz 2 AV Block",
        "2 cures de chimio",
        "Blockade 2 cycles",
        "1-0-1 Metformin",
        "Chest Ct 2 done",
        "Grade 3 Lane",
        "4 Cycles Lu-177",
        "177Lu-PSMA 4 cycles",
        "BP 140/90",
        "đường huyết 12",
        "12 duong huyet",
        "dai thao duong type 2",
        "Monitoring 3",
        "segment 8, 2 lesions",
        "lives alone, 2 stairs",
        "ECOG 1, Child-Pugh A 5",
        "Vp3 right portal vein",
        "Zugangsweg 2",
        "Capecitabina Via Orale 2 volte",
        "Via Endovenosa 3 cicli",
        "Terapia Via Arteriosa 3",
        "Largo Nodulo 3 Cm",
        "Corso Clinico 2",
        "CTCAE Grade 3 Fatigue Lane",
        "Verlegung Station 5",
        "Station 3 Ring 2",
        "2 Platz",
        "Place 2 Stents",
        "Plaza 2 semanas",
        "Paseo 3 km diario",
        "Rua 2",
        "Corso 3 giorni",
        "jalan kaki 2 km",
        "walked 2 jalan kaki",
        "day 3 jalan-jalan",
        "3 Court Appearances",
        "Dose 2 Level",
        "Score 3 Lu",
    ],
)
def test_clinical_phrases_with_numbers_are_no_addresses(value):
    assert identifier_kind(value) is None
    assert _passes(value)


# --- titles, honorifics and patient labels before a surname --------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "Patient: Müller",
        "Patient: Mueller",
        "Pt. Schmidt",
        "Pt Schmidt refused",
        "Pat. Weber",
        "Patientin Schulz",
        "Paciente: García",
        "Pt: Chan",
        "Pt: Tanaka, 2nd cycle",
        "Mr. Smith",
        "Frau Weber",
        "seen with Frau Weber today",
        "Hr. Müller",
        "Fr. Weber",
        "Sig. Rossi",
        "Señora Pérez",
        "Monsieur Dupont",
        "Dhr. Jansen",
        "Dott.ssa Bianchi",
        "visited by Dott. Rossi",
        "Prof.ssa Verdi",
        "Dr. med. Hoffmann",
        "Dr. med. dent. Weber",
        "Dr. rer. nat. Klein",
        "Tanaka-san",
        "suzuki-sama",
        "seen by Tanaka san, stable",
        "Kim-ssi",
        "Park-nim",
    ],
)
def test_a_title_or_patient_label_before_a_surname_is_refused(tmp_path, value):
    _refused_as_name(tmp_path, value)


@pytest.mark.parametrize(
    "value",
    [
        "Patient: Alert",
        "Pt: Alert and oriented",
        "Pt. Stable",
        "Patient transferred",
        "Patient: Transferred to ICU",
        "Patient Declined",
        "Patient: HCC",
        "Pt. refused further HAIC",
        "Patient ok",
        "Pt. Feeling better",
        "Pt: Ambulatory",
        "Pt. Compliant",
        "Patient: Informed",
        "Patient: Improved",
        "Patient: Male",
        "Pt: Female, 62",
        "Patient: Korean",
        "Pt: Vietnamese",
        "Patient: Deceased",
        "Patient: Responder",
        "Patient: Survivor",
        "Patient: Child-Pugh A",
        "Pt: Progressive",
        "Pat. Verstorben",
        "Pat. Entlassen",
        "Patiente: Décédée",
        "Paciente: Estable",
        "Pt. Le patient refuse",
        "Patient: Son",
        "Pt: Song",
        "Pt. Status",
        "Dr. on call",
        "Dr. med. unauffällig",
        "review by Dr. in charge",
        "seen by Sr. on duty",
        "Hong Kong san",
        "San Jose",
        "in San Francisco",
        "hospital-san",
    ],
)
def test_a_patient_label_before_a_status_word_passes(value):
    assert _passes(value)


@pytest.mark.parametrize(
    "header",
    ["Pt. Status", "Patient: Outcome", "Pat. Alter", "Pat. Geschlecht", "Paciente: Edad",
     "Pt. Residence", "Pt. Followup", "Pat. Diagnose", "Pt. Weight", "Patient: Smoking"],
)  # fmt: skip
def test_a_patient_label_in_a_column_name_is_no_name(header):
    from analysis.privacy import IdentifierScanner, printable_header

    assert IdentifierScanner([header]).refused == set()
    assert printable_header(header) == header


def test_a_column_named_patient_something_is_not_masked_as_a_name(tmp_path):
    """``Patient Name`` is refused by its name, and shown: ``Name`` after ``Patient`` is a field."""
    rows = [{**r, "Patient Name": "x"} for r in valid_rows()]
    message, _ = problems_of(write(tmp_path, rows, header=[*HEADER, "Patient Name"]))
    assert "column Patient Name: looks like a direct identifier (a person's name, by its name)" in (
        message
    )


# --- record numbers named in patient_id ------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "MRN:887766",
        "MRN 887766",
        "MRN887766",
        "mrn-00123",
        "Hospital No. 123456",
        "Hosp No 123456",
        "Fallnr 123456",
        "Record No. 55443",
        "Chart# 55443",
        "Nº historia 12345",
        "UHID 123456",
    ],
)
def test_a_record_number_named_in_patient_id_is_refused(tmp_path, value):
    rows = enough_rows(4)
    rows[1] = {**rows[1], "patient_id": value}
    message, problems = problems_of(write(tmp_path, rows))
    assert (
        "column patient_id: looks like a direct identifier (its values contain record numbers"
        in (message)
    )
    assert value not in message and value[-5:] not in message
    assert [p.code for p in problems] == ["identifier"]


@pytest.mark.parametrize(
    "value",
    ["HN-001", "HN-00123", "P001", "PID-00012", "Case 001", "Case_ID_00001", "PT-00001",
     "Record 4455", "MRN-001", "REG-2023-0045", "EMR12", "SNUH_HCC_001", "KUMC-HAIC-01"],
)  # fmt: skip
def test_study_codes_with_record_like_letters_pass_in_patient_id(value):
    assert _id_passes(value)


# --- romanised names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "chan tai man",
        "wong ka wai",
        "ng wai man",
        "lau siu ming",
        "Lau Chi Keung",
        "hsu mei-ling",
        "Hsu Mei-ling",
        "Chang Chih-wei",
        "tan boon keng",
        "yamamoto taro",
        "suzuki ichiro",
        "Tanaka Hanako",
        "taro yamamoto",
        "peter chan",
        "mary wong",
        "tran thi mai",
        "pham thi lan",
        "CHAN Tai Man",
        "Tai Man CHAN",
        "YAMAMOTO Taro",
        "KIM Min Su",
        "ōno yūko",
        "Tan Ah Kow",
        "lim boon keng",
        "ong ah hock",
        "Frau Dr. med. Weber",
        "vu par Mme Dupont",
    ],
)
def test_cantonese_taiwanese_japanese_and_vietnamese_names_are_refused_in_free_text(
    tmp_path, value
):
    _refused_as_name(tmp_path, value)


@pytest.mark.parametrize(
    "value",
    [
        "chan_tai_man",
        "wong_ka_wai",
        "ng_wai_man",
        "cheung_ka_ho",
        "hsu_mei",
        "wong_kawai",
        "yamamoto_taro",
        "tanaka.hanako",
        "suzuki_ichiro",
        "nguyen_van_an",
        "tran_thi_mai",
        "pham_van_hung",
        "nguyen_gia_huy",
        "tran.bao.chau",
        "chan_tai_man0",
        "wong_ka_wai_01",
        "yamamoto_taro2",
        "nguyen_gia_huy_12",
        "kim_minsu_01",
        "Wong1",
        "CHAN",
    ],
)
def test_romanised_names_are_refused_in_patient_id(value):
    assert not _id_passes(value)


@pytest.mark.parametrize(
    "value",
    [
        # "ng" is nasogastric
        "ng tube inserted day 3",
        "NG tube removed",
        "ng feeding",
        "ngt feeding 2 weeks",
        # Vietnamese without diacritics: chan (chân, chẩn), tran (tràn), lau (lâu), lam (lâm),
        # ho (ho, cough), dang (đang), phan (phân)
        "chan doan HCC 2019",
        "chan tay mieng",
        "phu chan 2 ben",
        "tran dich mang phoi",
        "tran khi mang phoi",
        "lau ngay",
        "lam sang on dinh",
        "lâm sàng ổn định",
        "ho ra mau",
        "ho khan",
        "ho hai lan",
        "lai hai lan",
        "ho man tinh",
        "ho gia dinh",
        "dang dieu tri",
        "dang tien trien",
        "do anh huong thuoc",
        "phan thuy VIII",
        # herbal medicines and Kampo formulas in pinyin and Hepburn
        "huang qi",
        "dan shen",
        "ma huang",
        "wu wei zi",
        "chai hu",
        "huang lian su",
        "li zhong wan",
        "sho saiko to",
        "juzen taiho to",
        # eponyms and technique names, and words spelt as a surname
        "yamamoto technique",
        "tanaka classification",
        "suzuki grade 2",
        "wong baker scale 4",
        "Chan score",
        "tan skin",
        "endo done",
        "endo ok",
        "tai chi",
        "yin yang",
        "feng shui",
        # Hong Kong and Taiwan places and hospitals whose words are names
        "Wong Tai Sin",
        "Kwai Chung",
        "Lai Chi Kok",
        "Sha Tin",
        "Tuen Mun",
        "Tai Po",
        "Chang Gung",
        "Kwong Wah",
        "Tung Wah",
        "ho man tin",
        "Queen Mary Hospital",
        "Cooperative Oncology",
        "tan ah",
        "lim ah",
        "số 2 TACE",
        "lần số 2 HAIC",
        "HCC Tai Po",
        "TACE Ho Chi",
        "chân, chẩn",
        "Patient: Child-Pugh",
    ],
)
def test_clinical_words_herbs_and_places_that_collide_with_surnames_pass(value):
    assert _passes(value)


@pytest.mark.parametrize(
    "value",
    ["li_na_01", "LI_NA_01", "KR_SU_001", "ko_001", "li_01", "HCC_LI_01", "site_a_01",
     "KO_HN_001", "Tai_Po_01", "Sha_Tin_01", "chang_gung_01", "Kwong_Wah_01", "Tuen_Mun_12",
     "ho_man_tin_01", "Tokyo_001", "Osaka_01", "BachMai_001", "Cho_Ray_001", "Gia_Dinh_01",
     "HK-QMH-0001", "TW-CGMH-001", "SG-NCC-001", "JP-NCC-0001"],
)  # fmt: skip
def test_site_codes_and_places_pass_in_patient_id(value):
    assert _id_passes(value)


def _validate(tmp_path, capsys, rows, column: str) -> str:
    """``validate`` on ``rows`` with the extra ``column``: asserts exit 1 and no traceback,
    returns what it printed."""
    path = write(tmp_path, rows, header=[*HEADER, column])
    try:
        code = entry.main(["validate", str(path)])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    return unwrapped(out + err)  # each wrapped message on one line


def test_validate_refuses_an_address_with_exit_1_and_no_traceback(tmp_path, capsys):
    rows = [{**r, "domicile": v} for r, v in zip(enough_rows(), ["Paris"] * 99, strict=False)]
    rows[2]["domicile"] = "12 rue de la Paix, 75002 Paris"
    printed = _validate(tmp_path, capsys, rows, "domicile")
    assert (
        "column domicile: looks like a direct identifier (its values contain street addresses)"
        in printed
    )
    assert "Paix" not in printed and "75002" not in printed


@pytest.mark.parametrize(
    "header",
    ["house_number", "Hausnummer", "Straße", "calle", "thuong_tru", "noi_o",
     "Nơi ở", "phuong_xa", "quan_huyen", "neighbourhood", "suburb", "Municipio", "ville", "juso"],
)  # fmt: skip
def test_address_columns_under_other_names_are_refused_by_the_header(tmp_path, header):
    rows = [{**r, header: "x"} for r in valid_rows()]
    message, _ = problems_of(write(tmp_path, rows, header=[*HEADER, header]))
    assert f"column {header}: looks like a direct identifier (an address, by its name)" in message


@pytest.mark.parametrize(
    "header",
    ["residence", "domicile", "retour_domicile", "rural_urban", "noi_soi", "noi_khoa", "cho_an",
     "tinh_trang"],
)  # fmt: skip
def test_residence_and_vietnamese_clinical_headers_pass_by_name(header):
    from analysis.privacy import IdentifierScanner

    assert IdentifierScanner([header]).refused == set()


# --- gaps a site outside Korea meets: HN numbers, Vietnamese names in prose, Indian PIN
# addresses, districts, ABHA and MRD numbers; and the near misses next to each that pass -------
@pytest.mark.parametrize(
    "value",
    ["HN 123456", "HN123456", "hn-1234567", "HN: 12345678", "UR 123456", "URN 1234567",
     "UR No. 12345"],
)  # fmt: skip
def test_hn_and_six_or_more_digits_as_patient_id_are_refused(value):
    assert identifier_kind(value, in_id=True) == "record"
    assert not _id_passes(value)


@pytest.mark.parametrize(
    "value",
    ["HN-001", "HN00123", "HN000123", "HN012345", "HN", "HN-12", "UR-01", "UR-001", "UR00123",
     "URN-12", "IP-001", "OPD-0042"],
)  # fmt: skip
def test_study_codes_with_hn_pass_in_patient_id(value):
    assert _id_passes(value)


VIETNAMESE_NAMES_IN_PROSE = [
    "le hoang",
    "LE MINH",
    "lê hoàng",
    "do thanh tam",
    "seen by nguyen minh at ward 3",
    "seen by Nguyen Minh at ward 3",
    "BN Tran Van Minh tai kham",
    "BN Nguyen Thi Lan, 65 tuoi",
    "referred by Le Van Hung",
    "referred by Nguyen Van Minh hospital",  # Thị or Văn: a person even before "hospital"
    "Tran Hung Dao hospital discharge, seen by Pham Minh",
    # after a word that introduces a person (seen by, referred by, Dr, BS, BN, patient), a
    # surname that is also a word, in any case, and one given name
    "seen by le hoang today",
    "seen by Le Hoang today",
    "seen by LE HOANG today",
    "reviewed by dr le minh, plan TACE",
    "referred by do thanh tam for TACE",
    "seen by nguyen van an yesterday",
    "bn le hoang tai kham",
    "bác sĩ lê hoàng khám",
    "benh nhan le hoang, 65 tuoi",
]


@pytest.mark.parametrize("value", VIETNAMESE_NAMES_IN_PROSE)
def test_vietnamese_names_with_a_word_surname_or_inside_prose_are_refused(tmp_path, value):
    assert identifier_kind(value) == "name"
    _refused_as_name(tmp_path, value)


@pytest.mark.parametrize(
    "value",
    ["le van", "le thi", "ho an", "do hai lan", "le chat", "le patient est stable",
     "benh nhan dang dieu tri", "bệnh nhân đang điều trị", "tran dich mang phoi do ung thu",
     "nguyen nhan tu vong", "ngo doc thuoc", "Pham vi ton thuong", "truong hop lam sang hiem",
     "phan lon benh nhan", "TACE Ho Chi", "TACE at Ho Chi Minh City", "seen at Bach Mai hospital",
     "NGO health worker visit", "Vp3", "BCLC C", "ECOG 1", "HN",
     "transferred to Tran Hung Dao hospital", "follow-up at Nguyen Tri Phuong Hospital",
     # after a cue, Vietnamese words that begin with a surname's spelling (đang, now; hỗ trợ,
     # support; vô hiệu, ineffective; hô hấp, breathing; lý do, reason; vụ án, a case)
     "bn dang dieu tri", "bn dang cho phau thuat", "bs ho tro dieu tri", "bn vo hieu",
     "caused by ho hap kem", "bn ly do ca nhan", "bn vu an", "bn phan lon on dinh",
     "seen by le", "seen by the team", "followed by le van", "seen by do an team",
     "caused by đô thị hóa", "referred by nguyen van hospital", "bn do hai", "bn ho nam vien",
     "bn ho tien trien", "bn ho ra mau", "bn vo khoi u", "bn phan den", "bn hoang dan"],
)  # fmt: skip
def test_vietnamese_phrases_and_clinical_notes_near_those_names_pass(value):
    assert _passes(value)


INDIAN_ADDRESSES_AND_DISTRICTS = [
    ("Flat 3B, MG Road, Bengaluru 560001", "address"),
    ("Sector 15, Noida 201301", "address"),
    ("Admitted via Sector 15, Noida 201301", "address"),
    ("MG Road, Bengaluru 560001", "address"),
    ("Bengaluru 560001", "address"),
    ("Dong Da district", "district"),
    ("Hai Ba Trung District", "district"),
    ("lives in Dong Da district", "district"),
    ("Quận Đống Đa", "district"),
    ("Huyen Gia Lam", "district"),
    ("Gangnam-gu", "district"),
    ("lives in Seongnam-si", "district"),
    ("Jung-gu", "district"),
    ("lives in Bundang-gu", "district"),
    ("Busan-si", "district"),
    ("Quận Hoàn Kiếm", "district"),
    ("Hai Ba Trung District, Hanoi", "district"),
    ("went to Dong Da district", "district"),  # lower-case words before the name
    ("moved to Cau Giay District last year", "district"),
    ("Eden District", "district"),  # an English district's proper name
]


@pytest.mark.parametrize(("value", "kind"), INDIAN_ADDRESSES_AND_DISTRICTS)
def test_indian_pin_addresses_and_districts_are_refused_naming_the_kind(tmp_path, value, kind):
    assert identifier_kind(value) == kind
    assert candidate_mask(np.array([value], dtype=object)).all()
    message = _refused(tmp_path, value)
    label = "street addresses" if kind == "address" else "district or ward names"
    assert f"column note: looks like a direct identifier (its values contain {label})" in message
    _no_part_shown(message, value)


@pytest.mark.parametrize(
    "value",
    ["district hospital", "Rural district", "Health District", "District 7", "Quận 1",
     "Quan trong", "Ding-dong", "nail-gun injury", "Nail-gun", "Child-Pugh B", "AFP 250000",
     "Platelets 150000", "Platelets 150000, road traffic accident", "Hong Kong",
     # English regions and kinds of district, named by ordinary words, outside an address
     "Lake District holiday", "Lake District", "holiday in the Lake District",
     "went on a Lake District holiday", "Peak District walk", "Financial District",
     "Central Business District", "Theatre District", "Historic District",
     "Congressional District"],
)  # fmt: skip
def test_numbered_districts_and_clinical_words_near_places_pass(value):
    assert _passes(value)


@pytest.mark.parametrize("value", ["Jang Dong-gun", "Park Seo-dong"])
def test_korean_names_with_a_district_like_syllable_are_names_not_districts(value):
    assert identifier_kind(value) == "name"


def test_a_district_in_a_file_name_is_a_site_and_passes():
    from analysis.privacy import file_name_identifier

    assert file_name_identifier("Dong_Da_District_2023.csv") is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [("ABHA 12-3456-7890-1234", "abha"), ("12 3456 7890 1234", "abha"),
     ("MRD No 123456", "record"), ("Hosp no 1234567", "record")],
)  # fmt: skip
def test_abha_and_mrd_numbers_are_refused(tmp_path, value, kind):
    assert identifier_kind(value) == kind
    message = _refused(tmp_path, value)
    assert value not in message
    assert not [g for g in re.findall(r"[0-9]{3,}", value) if g in message]


@pytest.mark.parametrize("value", ["MRD-001", "MRD no 12", "12-34", "2023-01-15", "12-3456"])
def test_short_mrd_codes_and_dates_are_no_abha_or_record_numbers(value):
    assert identifier_kind(value) not in ("abha", "record")


def test_validate_refuses_a_name_in_prose_with_exit_1_and_no_traceback(tmp_path, capsys):
    rows = [{**r, "note": "stable"} for r in enough_rows()]
    rows[3]["note"] = "seen by nguyen minh at ward 3"
    printed = _validate(tmp_path, capsys, rows, "note")
    expected = "column note: looks like a direct identifier (its values contain personal names"
    assert expected in printed
    assert "nguyen" not in printed.lower()


def test_validate_refuses_a_cued_name_and_a_ur_number_with_exit_1_and_no_traceback(
    tmp_path, capsys
):
    for value, label in [
        ("seen by le hoang today", "personal names"),
        ("UR 123456", "record numbers named in the cell"),
        ("IP No. 2023/12345", "record numbers named in the cell"),
        ("RTH 1234567", "hospital registration numbers"),
    ]:
        rows = [{**r, "note": "stable"} for r in enough_rows()]
        rows[3]["note"] = value
        printed = _validate(tmp_path, capsys, rows, "note")
        expected = f"column note: looks like a direct identifier (its values contain {label}"
        assert expected in printed, value
        assert "hoang" not in printed.lower() and not re.search(r"123|2023|RTH", printed)


# --- names from other languages in prose after a cue (seen by, referred by, reviewed by, Dr,
# pt, patient, Mr, discussed with): a listed given name and a listed surname, either order ----
CUED_NAMES_IN_PROSE = [
    "seen by john smith today",
    "seen by John Smith today",
    "SEEN BY JOHN SMITH TODAY",
    "reviewed by dr priya sharma",
    "pt maria garcia lopez",
    "referred by kim min-jun",
    "patient tanaka hiroshi",
    "discussed with john smith",
    "seen by smith john, plan TACE",
    "referred by zhang xiaoming for TACE",
    "mr john smith came for TACE",
    # a given name that is also a word counts before a listed surname after by, Dr, Mr or
    # discussed with (a noun follows them), not after pt or patient (a verb may: pt will park)
    "seen by will smith",
    "reviewed by dr mark taylor",
    "seen by grace park today",
    "discussed with may wong",
    # a title in lower case and a listed surname alone (Dr Kim, capitalised, already was one)
    "seen by dr kim",
    "dr. lee reviewed the scan",
    "mrs tanaka came for TACE",
    "seen by dr nguyen today",
    "prof müller agreed",
]


@pytest.mark.parametrize("value", CUED_NAMES_IN_PROSE)
def test_names_in_any_case_after_a_cue_are_refused(tmp_path, value):
    assert identifier_kind(value) == "name"
    message = _refused_as_name(tmp_path, value)
    surnames = "smith sharma garcia lopez min-jun tanaka xiaoming taylor park wong".split()
    assert not [w for w in surnames if w in value.lower() and w in message.lower()]


@pytest.mark.parametrize(
    "value",
    ["seen by day team", "reviewed by mdt", "seen by hepatology", "by mouth", "by week 6",
     "dr review pending", "pt tolerated well", "patient refused tace", "seen by the surgeon",
     "by ct and mri", "by iv route", "bn dang dieu tri", "by may 2023", "by june 2023",
     "seen by hepatology team in may", "pt will park at the clinic", "pt may need TACE",
     "patient will need review", "patient may bleed", "pt will smith", "by will power alone",
     "caused by hope of cure", "by grace of god", "rose by 20%", "by mark 3 of the scale",
     "confirmed by biopsy", "followed by sorafenib", "as shown by park et al",
     "described by lee and kim", "by kaplan meier", "graded by child pugh",
     "by wilson disease", "referred by mary johnson hospital", "seen by huang qi",
     "treated by dan shen", "by hong kong team", "discussed with family",
     "discussed with the mdt", "mr grade 2", "ms flare", "pt inr 1.2",
     "bs dinh huong dieu tri", "bn tran dich", "dr john", "seen by john",
     # a Korean surname before a care role is no name (ko team was one as a whole cell)
     "seen by ko team", "seen by jin team", "ko team", "by han team", "seen by kang fellow",
     # a lower-case title before a word, not a surname (MR and MS as imaging and a disease)
     "mr imaging done", "ms lesions stable", "dr to call", "mr angiography", "mr long tr",
     "dr son", "mr t2 images", "drain removed", "adr kim"],
)  # fmt: skip
def test_clinical_notes_after_a_cue_pass(value):
    assert _passes(value)


# --- cued names with a middle initial, in "surname, given name" order, with an initial first,
# a hyphenated surname after a lower-case title, particles, and a name outside the lexicon
# after a verb of care and "by" (seen by, reviewed by, examined by, assessed by; after
# "referred by" one word must be a listed name in its place) --------------------------------
CUED_NAMES_BEYOND_THE_LEXICON = [
    # (value, its name's words: none may be in the message)
    ("seen by john t smith today", "john smith"),
    ("seen by John T. Smith", "john smith"),
    ("reviewed by dr priya k sharma", "priya sharma"),
    ("seen by John A. Smith, consultant", "john smith"),
    ("seen by maria j garcia lopez", "maria garcia lopez"),
    ("seen by smith, john", "smith john"),
    ("reviewed by Smith, John on 3/4", "smith john"),
    ("seen by Lee, John", "lee john"),
    ("seen by Smith, J. today", "smith"),
    ("seen by Smith, J. and Lee, K.", "smith lee"),
    ("seen by J. Smith", "smith"),
    ("seen by Dr. J. Smith today", "smith"),
    ("reviewed by T. Nguyen", "nguyen"),
    ("seen by maria de la cruz", "maria cruz"),
    ("seen by dr kim-lee", "kim-lee"),
    ("mrs park-choi", "park-choi"),
    ("seen by dr ng-tan", "ng-tan"),
    ("seen by dr. nguyen-tran", "nguyen-tran"),
    ("seen by kavya reddy today", "kavya reddy"),
    ("Seen by Kavya Reddy.", "kavya reddy"),
    ("reviewed by olumide adeyemi on 12/3", "olumide adeyemi"),
    ("examined by siddharth menon", "siddharth menon"),
    ("assessed by nkechi eze", "nkechi"),
    ("seen by john o'brien today", "o'brien"),
    ("seen by mohammed al-rashid", "al-rashid"),
    ("seen by kavya reddy and team", "kavya reddy"),
    ("reviewed by thandiwe nkosi", "thandiwe nkosi"),
    ("seen by wanjiru kamau", "wanjiru kamau"),
    ("seen by Agnieszka Kowalska today", "agnieszka kowalska"),
    ("seen by Mehmet Öztürk today", "mehmet öztürk"),
    ("referred by priya adeyemi", "priya adeyemi"),
    ("referred by olumide sharma", "olumide sharma"),
    # names outside the lexicon from Nigeria, Kenya, India (Tamil too), the Philippines,
    # Indonesia, Turkey, Poland, Greece and the Arab world, after the words of notes were known
    ("seen by chinedu okonkwo today", "chinedu okonkwo"),
    ("Reviewed by Funmilayo Adebayo.", "funmilayo adebayo"),
    ("assessed by blessing okafor", "blessing okafor"),
    ("seen by achieng otieno", "achieng otieno"),
    ("reviewed by kiprono kiptoo", "kiprono kiptoo"),
    ("examined by anirudh kulkarni", "anirudh kulkarni"),
    ("seen by senthil murugan today", "senthil murugan"),
    ("reviewed by kalaivani subramaniam", "kalaivani subramaniam"),
    ("seen by maricel dimaculangan", "maricel dimaculangan"),
    ("seen by dewi lestari today", "dewi lestari"),
    ("examined by budi santoso", "budi santoso"),
    ("seen by ayse yilmaz", "ayse yilmaz"),
    ("reviewed by emre demirci", "emre demirci"),
    ("seen by malgorzata wisniewska", "malgorzata wisniewska"),
    ("assessed by krzysztof nowicki", "krzysztof nowicki"),
    ("seen by eleni papadopoulou", "eleni papadopoulou"),
    ("reviewed by dimitrios georgiou", "dimitrios georgiou"),
    ("reviewed by fatima al-zahrani", "al-zahrani"),
    ("seen by youssef haddad today", "youssef haddad"),
]


@pytest.mark.parametrize(("value", "name"), CUED_NAMES_BEYOND_THE_LEXICON)
def test_cued_names_with_initials_commas_hyphens_or_outside_the_lexicon_are_refused(
    tmp_path, value, name
):
    assert identifier_kind(value) == "name"
    message = _refused_as_name(tmp_path, value).lower()
    assert not [w for w in name.split() if w in message], message


# after "seen by" and the like, a role, a team, a service, a specialty, people or a hospital
# and its city (after "referred by") is no name, nor a germ after its genus' initial
NEAR_MISSES_AFTER_A_CARE_VERB = [
    "seen by the registrar", "seen by day team", "referred by oncology clinic",
    "seen by kaplan meier", "seen by night reg", "seen by on-call surgeons overnight",
    "seen by hpb surgeons today", "seen by gastro reg today", "seen by acute oncology today",
    "reviewed by interventional radiology", "referred by local gp",
    "referred by outside hospital", "seen by macmillan nurse", "seen by cns today",
    "seen by physio, mobilising", "assessed by pre-op clinic", "seen by ortho spr",
    "seen by tissue viability", "seen by rapid response", "seen by cross cover",
    "seen by trust interpreter", "referred by anganwadi worker", "referred by asha worker",
    "seen by hepatobiliary multidisciplinary team", "reviewed by both consultants",
    "seen by many specialists", "seen by junior colleagues", "referred by another centre",
    "seen by family members", "seen by moonlighter", "seen by spiritual care",
    "seen by video consultation", "examined by two doctors", "reviewed by ethics committee",
    "assessed by liver stiffness", "examined by fibroscan", "seen by HPB MDT",
    "seen by Hepatology reg", "referred by cmc vellore", "referred by pgimer chandigarh",
    "referred by sgpgi lucknow", "referred by kaiser permanente", "referred by royal marsden",
    "referred by queen mary", "referred by queen elizabeth", "referred by fudan zhongshan",
    "referred by yonsei severance", "referred by md anderson", "referred by bach mai",
    "referred by mount sinai", "referred by aga khan", "referred by tan tock seng",
    "seen by peter mac team",
    # care words of other languages in notes that mix them with English
    "seen by khoa ngoai", "reviewed by bac si truc", "seen by dokter jaga",
    "seen by kepala bangsal", "seen by medico interno", "seen by servicio cirugia",
    "seen by medecin traitant", "seen by hausarzt heute", "seen by oberarzt chirurgie",
    "seen by kadin doktor", "seen by gyosu nim", "reviewed by jisa senmon",
    "seen by hakim sahib", "seen by ayurvedic vaidya", "seen by traditional healer",
    # a study's own people, and plurals of care words (trials, readers, nurses, specialties)
    "seen by clinical trials", "assessed by blinded readers", "reviewed by central readers",
    "seen by trial monitors", "assessed by independent reviewers", "seen by study nurses",
    "seen by research teams", "reviewed by two assessors", "seen by several specialties",
    # a measure, a test or a method after assessed or examined by
    "assessed by serum bilirubin", "assessed by alpha fetoprotein", "assessed by platelet count",
    "assessed by creatinine clearance", "assessed by visual analogue", "assessed by grip strength",
    "assessed by gait speed", "assessed by pain scores", "assessed by afp levels",
    "assessed by viral load", "examined by contrast ct", "examined by shear wave",
    "assessed by symptom diary", "assessed by quality questionnaires",
    # an initial, a comma or a hyphen next to words, not a name
    "seen by lee, a nurse", "seen by lee, will call", "seen by smith, april",
    "reviewed by park, mark", "seen by kim, lee and park", "seen by hepatology, john to call",
    "seen by lee a week ago", "seen by a smith", "by lee, son of patient",
    "followed by A. Fumigatus", "caused by E. Coli", "caused by K. Pneumoniae",
    "treated by H. Pylori eradication", "mr long-term follow up", "ms non-relapsing",
    "dr on-call review", "mr t1-weighted", "mr follow-up", "ms re-staging", "dr son-in-law",
]  # fmt: skip


@pytest.mark.parametrize("value", NEAR_MISSES_AFTER_A_CARE_VERB)
def test_roles_teams_hospitals_and_germs_after_a_cue_pass(value):
    assert _passes(value)


# after a verb of care and by, two words of a measure, a test, a device, a method, a service or
# a place of care, as notes of oncology, hepatology, surgery, nursing and radiology and research
# forms write them, also capitalised, in notes that mix English with other languages, and with
# words after them: no name (of a probe of 2,129 such phrases, 192 were refused before the words
# of notes and more English endings were known, 5 after; these 207 are a sample)
PHRASES_OF_CARE_AFTER_A_CARE_VERB = [
    "seen by fast track (2023)", "Seen by Bleep Holder On 12/3", "assessed by wedged pressure.",
    "Pt assessed by plain film.", "assessed by capsule appearance.",
    "Assessed by Fluid Balance Today", "assessed by handgrip dynamometry",
    "assessed by chair stand.", "Assessed by Distress Thermometer Again",
    "assessed by patient reported again", "assessed by bristol stool.",
    "assessed by stool chart on 12/3", "Assessed by Food Chart - No Concerns",
    "Pt assessed by fluid chart and team", "assessed by ascitic tap.",
    "Pt assessed by saag gradient - no concerns", "assessed by ascitic protein and team",
    "assessed by operative findings", "assessed by ious findings.",
    "assessed by indocyanine green - no concerns", "assessed by icg fluorescence and team",
    "Assessed by Kinetic Growth - No Concerns", "Assessed by Clavien Dindo Again",
    "assessed by bile leak - no concerns", "Pt assessed by drain output (2023)",
    "assessed by ssi surveillance.", "seen by cardiopulmonary exercise (2023)",
    "assessed by anaerobic threshold", "assessed by echo findings today",
    "Assessed by Ecg Changes On 12/3", "assessed by pulse oximetry again",
    "Assessed by Capillary Refill Today", "Assessed by Temperature Check - No Concerns",
    "assessed by lipid profile today", "assessed by berg balance again", "examined by per rectum.",
    "Pt seen by vaginal speculum on 12/3", "Examined by Fluid Thrill Again",
    "examined by slit lamp - no concerns", "examined by eus fna and team",
    "examined by ebus tbna.", "examined by focused echo and team",
    "examined by fluoroscopic guidance.", "examined by optical coherence (2023)",
    "examined by skinfold calipers and team", "reviewed by serious incident - no concerns",
    "reviewed by root cause and team", "reviewed by patient safety again",
    "reviewed by safety huddle", "Pt reviewed by drug chart today",
    "reviewed by regulatory affairs", "seen by specialista epatologo.",
    "seen by ruang rawat (2023)", "Seen by Bidan Desa Again", "seen by pegawai perubatan today",
    "seen by cerrahi servisi on 12/3", "seen by nadi pariksha", "seen by delivery suite.",
    "seen by tissue bank", "seen by stem cell.", "seen by patient transport today",
    "Assessed by Triceps Skinfold.", "assessed by handheld dynamometer (see letter)",
    "Assessed by Jamar Dynamometer", "assessed by five-times sit.", "assessed by daily steps",
    "assessed by wearable device, no concerns", "assessed by thrombotic risk, no concerns",
    "assessed by growth rate (see letter)", "assessed by dual energy",
    "assessed by radiomic features.", "assessed by texture analysis, no concerns",
    "assessed by everolimus trough.", "assessed by drain fluid, no concerns",
    "assessed by stoma output and plan", "assessed by scar appearance today",
    "assessed by cosmetic outcome.", "assessed by incisional hernia on 3/5",
    "assessed by operative time.", "Assessed by Textbook Outcome (see Letter)",
    "examined by gloved finger today", "Examined by Tendon Hammer",
    "Examined by Anorectal Manometry And Plan", "examined by barium swallow.",
    "examined by barium enema, no concerns", "Examined by Water Soluble On 3/5",
    "seen by pronto soccorso and plan", "Seen by Ambulatorio Epatologia",
    "seen by klinik desa on 3/5", "seen by bidan praktik - stable",
    "seen by jabatan kecemasan (see letter)", "seen by acil servis.",
    "seen by dahiliye servisi, no concerns", "Seen by Genel Cerrahi On 3/5",
    "seen by aile hekimi - stable", "seen by saglik ocagi and plan",
    "assessed by sms reminders and discussed", "assessed by coag screen - ok",
    "assessed by rotem analysis and discussed", "assessed by urinary copper and discussed",
    "assessed by autoimmune screen today", "assessed by hfe genotype (2024)",
    "assessed by collagen proportionate - ok", "assessed by postural drop and discussed",
    "Assessed by Tilt Table.", "assessed by pittsburgh sleep - ok",
    "examined by breath-hold sequences today", "examined by printed model",
    "examined by mutational burden - ok", "reviewed by unos policy (2024)",
    "reviewed by fda inspectors - ok", "seen by extended scope and discussed",
    "seen by supplementary prescriber - ok", "seen by tim paliatif (2024)",
    "seen by ahli gizi and discussed", "seen by pharmacien hospitalier",
    "seen by psychologue clinicienne - ok", "Seen by Sosyal Hizmet.",
    "assessed by protein intake again", "assessed by swallow screen",
    "assessed by water swallow today", "assessed by incentive spirometry again",
    "assessed by mucous membranes.", "assessed by fluid challenge again",
    "assessed by wound photographs again", "assessed by sacral check (see EPR)",
    "assessed by limb power today", "assessed by cuff leak today", "assessed by drain trend.",
    "assessed by air leak again", "assessed by progression-free survival",
    "assessed by overall survival today", "seen by prison in-reach.", "seen by peer support today",
    "examined by evoked potentials.", "examined by food challenge",
    "examined by crystal analysis (see EPR)", "reviewed by continence advisor",
    "reviewed by intestinal failure", "Seen by Peer Support again", "Assessed by Visceral Fat",
    "Assessed by Serum Bilirubin", "assessed by tumour board consensus",
    "reviewed by radiology reporting", "assessed by ascites volume", "examined by digital rectal",
    "assessed by hepatic encephalopathy", "seen by walk-in clinic", "assessed by frailty index",
    "reviewed by quality assurance", "assessed by icg retention", "seen by outreach service",
    "Assessed by Modified Recist.", "assessed by structured interview",
    "assessed by estimated blood loss", "examined by ultrasound guided",
    "seen by rapid access today", "assessed by appetite loss", "assessed by subcutaneous fat",
    "assessed by sms reminders", "assessed by collagen proportionate",
    "assessed by metroticket calculator", "assessed by functional reserve",
    "assessed by methacetin breath", "assessed by bile acids", "assessed by ogtt result",
    "examined by robotic platform", "examined by intraoperative cholangiogram",
    "examined by on-table cholangiogram", "examined by touch imprint", "examined by rapid onsite",
    "examined by magnetic seed", "examined by radioactive seed", "examined by blue dye",
    "examined by dual tracer", "reviewed by caldicott guardian", "Examined By Bedside Echo",
    "Examined By Magnetic Seed", "Examined By Blue Dye", "seen by tecnico radiologo",
    "seen by aide soignante", "seen by manipulateur radio", "seen by tecnico radiologia",
    "seen by ahli radiologi", "seen by petugas gizi", "seen by pegawai farmasi",
    "seen by pembantu perubatan", "seen by radyoloji uzmani", "seen by dahiliye asistani",
    "seen by cerrahi asistani", "seen by yogun bakim", "seen by acil hekimi",
    "seen by bacsi chuyenkhoa", "seen by ktv xquang", "seen by whanau support.",
    "seen by wound ostomy again", "assessed by dosimetry software - satisfactory",
    "assessed by voxel dosimetry (day 2)", "assessed by embolic agent, for review",
    "assessed by stasis endpoint today", "assessed by angiographic endpoint.",
    "assessed by air kerma again", "assessed by technical success today",
    "assessed by groin check (day 2)", "assessed by closure device",
    "reviewed by rpa advisor today", "Assessed By Groin Check - satisfactory",
]  # fmt: skip


def test_measures_tests_devices_and_services_after_a_care_verb_pass():
    refused = [v for v in PHRASES_OF_CARE_AFTER_A_CARE_VERB if identifier_kind(v) is not None]
    assert refused == []


# names that end as English words do (-ed, -al, -ic, -ous, -ive, -ary, -ory, -ful, -ence,
# -ance, -ure, -ate, -oma, -ing, -ness, -ity), unknown to the lexicon, after a verb of care:
# still names (Arabic, Urdu, Bangla, Indian, Turkish, French, Irish, South Slavic, Spanish,
# Igbo, German and Zimbabwean, Kenyan and Ghanaian names of virtues)
NAMES_THAT_END_AS_WORDS_AFTER_A_CARE_VERB = [
    "seen by rasheed olawale", "seen by khaled yousef", "seen by javed iqbal",
    "seen by sayed hashemi", "seen by kamal uddin", "seen by bilal chaudhry",
    "seen by vishal bansal", "seen by sonal mittal", "seen by meral aksoy",
    "seen by chantal dubois", "seen by olive mwangi", "seen by clive ndlovu",
    "seen by hilary okoro", "seen by rory mcgrath", "seen by terence ochieng",
    "seen by clarence villanueva", "seen by constance adjei", "seen by prudence mabaso",
    "seen by fortune chikwanha", "seen by precious nkosi", "seen by saiful haque",
    "seen by ashraful karim", "seen by dominic asante", "seen by cedric ndayisaba",
    "seen by frederic lemaire", "seen by marko jovanovic", "seen by ivana kovacic",
    "seen by luka modric", "seen by nikola lukic", "seen by kavya ivanovic",
    "seen by ana kostic", "seen by nikola jovetic", "seen by paloma ruiz",
    "seen by chioma nwachukwu", "seen by renate schulz", "seen by juned ansari",
    "seen by naved qureshi", "seen by maged hanna", "seen by rached trabelsi",
    "seen by jared kipchoge", "seen by mildred achieng", "seen by clemence moreau",
    "seen by sheetal joshi", "seen by donal brennan", "seen by patience wanjiku",
    "seen by silence chitando", "seen by blessing adeyemi", "seen by loveness banda",
    "seen by marvellous dube", "Seen by Precious Moyo.", "reviewed by mital shah today",
    "seen by winfried kretz", "seen by siegfried oduya",
]  # fmt: skip


def test_names_that_end_as_english_words_do_stay_names_after_a_care_verb():
    missed = [v for v in NAMES_THAT_END_AS_WORDS_AFTER_A_CARE_VERB if identifier_kind(v) != "name"]
    assert missed == []
