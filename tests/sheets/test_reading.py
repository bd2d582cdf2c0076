"""Reading the trackers associations keep: every format, its header found under a title,
its rows numbered as the spreadsheet shows them, and a sentence for what cannot be read."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import describe, using_language
from advisor_app.sheets.reading import (
    ReadStep,
    Table,
    find_header_row,
    first_rows,
    read_table,
    reading_table,
    sheet_names,
)
from tests.sheets.conftest import HEADERS, NOTE_AMÉLIE, TITLE

# Where each tracker has its header, counted as its spreadsheet program counts rows.
HEADER_ROW = {
    "suivi porteurs 2024.csv": 4,
    "porteurs-utf8.csv": 4,
    "Suivi 2024.xlsx": 4,
    "suivi.xls": 3,
    "suivi.ods": 4,
}


def test_every_format_gives_the_header_under_the_title_and_the_rows_below(
    any_tracker: Path,
) -> None:
    table = read_table(any_tracker)

    header_row = HEADER_ROW[any_tracker.name]
    assert table.header_row == header_row
    assert list(table.headers) == HEADERS
    assert [row.number for row in table.rows] == [header_row + 1, header_row + 2, header_row + 3]
    amélie = table.rows[0]
    assert amélie.cell(0) == "DUPRÉ-LEFÈVRE"
    assert amélie.cell(HEADERS.index("Observations")) == NOTE_AMÉLIE
    assert table.rows[1].cell(HEADERS.index("Prêt d'honneur")) == "NC"


def test_workbooks_give_real_dates_and_csv_gives_them_as_written(any_tracker: Path) -> None:
    table = read_table(any_tracker)

    birth = table.rows[0].cell(HEADERS.index("Né(e) le"))
    if any_tracker.suffix == ".csv":
        assert birth in ("03/02/1985", "1985-02-03")
    else:
        assert birth == date(1985, 2, 3)


def test_an_excel_csv_in_windows_1252_is_decoded_and_cut_at_its_semicolons(
    cp1252_csv: Path,
) -> None:
    table = read_table(cp1252_csv)

    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows[0].cell(HEADERS.index("Prêt d'honneur")) == "12\u00a0500,00\u00a0€"
    assert table.rows[0].cell(HEADERS.index("Commune")) == "Saint-Étienne"


def test_a_utf8_csv_with_its_byte_order_mark_and_commas(utf8_bom_csv: Path) -> None:
    table = read_table(utf8_bom_csv)

    assert (table.encoding, table.delimiter) == ("utf-8-sig", ",")
    assert table.headers[0] == "NOM"  # no byte-order mark stuck to the first header
    assert table.rows[0].cell(HEADERS.index("Prêt d'honneur")) == "12\u202f500,00\u202f€"


def test_a_csv_that_says_its_delimiter_on_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=,\nNom,Prénom,Ville\nDurand,Léa,Lyon\n", encoding="utf-8")

    table = read_table(path)

    assert table.delimiter == ","
    assert table.headers == ("Nom", "Prénom", "Ville")
    assert [(row.number, row.cells) for row in table.rows] == [(2, ("Durand", "Léa", "Lyon"))]


def test_a_tab_separated_export(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text("Nom\tPrénom\tMontant\nDurand\tLéa\t1 500,00\n", encoding="utf-8")

    table = read_table(path)

    assert table.delimiter == "\t"
    assert table.rows[0].cells == ("Durand", "Léa", "1 500,00")


def test_the_sheets_of_a_workbook_and_none_for_a_csv(
    tracker_xlsx: Path, tracker_ods: Path, cp1252_csv: Path
) -> None:
    assert sheet_names(tracker_xlsx) == ["Porteurs", "Rendez-vous"]
    assert sheet_names(tracker_ods) == ["Porteurs", "Rendez-vous"]
    assert sheet_names(cp1252_csv) == []


def test_the_appointments_sheet_is_read_by_its_name(tracker_xlsx: Path) -> None:
    table = read_table(tracker_xlsx, sheet="Rendez-vous")

    assert table.sheet == "Rendez-vous"
    assert table.header_row == 1
    assert table.headers[:3] == ("Nom", "Prénom", "Date")
    assert table.rows[0].cell(2) == date(2024, 1, 15)


def test_the_header_row_can_be_chosen(cp1252_csv: Path) -> None:
    table = read_table(cp1252_csv, header_row=5)  # Amélie's row taken as the header

    assert table.header_row == 5
    assert table.headers[0] == "DUPRÉ-LEFÈVRE"
    assert [row.number for row in table.rows] == [6, 7]


def test_the_first_rows_show_the_title_and_the_header_for_the_choice(tracker_xlsx: Path) -> None:
    rows = first_rows(tracker_xlsx)

    assert rows[0].number == 1 and rows[0].cells[0] == TITLE
    assert find_header_row(rows) == 4


def test_blank_headers_are_named_after_their_column_and_repeated_ones_numbered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Nom;Prénom;;Nom;;;\nDurand;Léa;x;Dupont;;;\nMartin;Karim;;;;y;\n;;;;;;\n", encoding="utf-8"
    )

    table = read_table(path)

    assert table.headers == ("Nom", "Prénom", "Column C", "Nom (2)", "Column E", "Column F")
    assert [row.number for row in table.rows] == [2, 3]


def test_a_header_of_dates_and_amounts_is_not_taken_for_column_names(tmp_path: Path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text(
        "Export du 03/02/2024;;\n01/01/2024;1 500,00;12\nNom;Montant;Heures\nDurand;1 500;2\n",
        encoding="utf-8",
    )

    assert read_table(path).header_row == 3


def test_a_large_file_is_read_in_steps_and_can_be_stopped(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["Nom;Prénom;Né(e) le;Montant"] + [
        f"Nom{n};Prénom{n};03/02/1985;1 500,00" for n in range(100_000)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")

    steps = reading_table(path)
    seen = [next(steps) for _ in range(5)]
    steps.close()  # the user cancelled

    assert all(isinstance(step, ReadStep) for step in seen)
    assert seen[-1].done == 8000 and seen[-1].total >= 100_000
    table = read_table(path)
    assert isinstance(table, Table) and len(table.rows) == 100_000
    assert table.rows[-1].number == 100_001


def test_a_large_workbook_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["Nom", "Prénom", "Montant"])
    for n in range(1, 20_001):
        sheet.write_row(n, 0, [f"Nom{n}", f"Prénom{n}", n * 10.5])
    workbook.close()

    steps = list(reading_table(path))

    table = steps[-1]
    assert isinstance(table, Table) and len(table.rows) == 20_000
    assert sum(isinstance(step, ReadStep) for step in steps) >= 10


# -- what cannot be read, said in a sentence ------------------------------------------------


def _sentence(path: Path, language: str = "en", **options: object) -> str:
    with pytest.raises(AdvisorError) as raised, using_language(language):
        read_table(path, **options)  # type: ignore[arg-type]
    with using_language(language):
        return describe(raised.value)


def test_a_file_of_another_kind_is_refused_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "compte rendu.pdf"
    path.write_bytes(b"%PDF-1.7")

    sentence = _sentence(path)

    assert "compte rendu.pdf" in sentence and "CSV" in sentence and ".xlsx" in sentence


def test_a_damaged_workbook_is_said_damaged(tmp_path: Path) -> None:
    path = tmp_path / "suivi.xlsx"
    path.write_text("Nom;Prénom\nDurand;Léa\n", encoding="utf-8")  # a CSV renamed

    assert "suivi.xlsx cannot be read as a spreadsheet" in _sentence(path)


def test_a_password_protected_workbook_says_to_remove_the_password(tmp_path: Path) -> None:
    path = tmp_path / "protégé.xlsx"
    # What Excel writes for a protected workbook: an OLE file holding EncryptionInfo.
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 600
    )

    sentence = _sentence(path)

    assert "password" in sentence and "protégé.xlsx" in sentence


def test_an_empty_file_and_an_empty_sheet(tmp_path: Path) -> None:
    empty_csv = tmp_path / "vide.csv"
    empty_csv.write_bytes(codecs.BOM_UTF8 + b"\r\n;;;\r\n")
    workbook_path = tmp_path / "vide.xlsx"
    workbook = xlsxwriter.Workbook(str(workbook_path))
    workbook.add_worksheet("Feuil1")
    workbook.close()

    assert "vide.csv holds no data" in _sentence(empty_csv)
    assert "Feuil1" in _sentence(workbook_path)


def test_a_sheet_that_is_not_there_names_those_that_are(tracker_xlsx: Path) -> None:
    sentence = _sentence(tracker_xlsx, sheet="RDV")

    assert "RDV" in sentence and "Porteurs, Rendez-vous" in sentence


def test_a_header_row_past_the_end_is_refused(cp1252_csv: Path) -> None:
    assert "Row 40" in _sentence(cp1252_csv, header_row=40)
    assert "Row 2" in _sentence(cp1252_csv, header_row=2)  # a blank row


def test_a_missing_file(tmp_path: Path) -> None:
    assert "cannot be found" in _sentence(tmp_path / "absent.csv")
