"""Trackers as associations keep them, written in every format with their quirks.

The same people in each: a title line and blank lines above the header, French column
names, a birth date as 03/02/1985 or as a real date cell, amounts as "12 500,00 €" with
no-break spaces or "NC", notes with line breaks and semicolons inside quotes, the same
person twice (the second row filling a blank), and a column Boussole does not know.
The workbooks have a second sheet of appointments.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

TITLE = "Suivi des porteurs de projet – 2024"
HEADERS = [
    "NOM",
    "Prénom",
    "Né(e) le",
    "E-mail",
    "Tél.",
    "Code postal",
    "Commune",
    "Intitulé du projet",
    "Secteur",
    "Date 1er RDV",
    "Prêt d'honneur",
    "Orienté par",
    "Observations",
    "Dossier papier",
]
NOTE_AMÉLIE = "Rencontrée au forum ; très motivée.\nRappeler en mars ; voir la banque."
# One row per line of the tracker, dates as datetime.date, amounts as text as typed.
PEOPLE: list[list[object]] = [
    [
        "DUPRÉ-LEFÈVRE",
        "Amélie",
        date(1985, 2, 3),
        "amelie.dupre@example.org",
        "06 12 34 56 78",
        "42000",
        "Saint-Étienne",
        "Boulangerie bio",
        "Alimentation",
        date(2024, 1, 15),
        "12\u00a0500,00\u00a0€",
        "France Travail",
        NOTE_AMÉLIE,
        "armoire 2",
    ],
    [
        "Martin",
        "Karim",
        date(1990, 7, 14),
        "",
        "0798765432",
        "69003",
        "Lyon",
        "Atelier vélo",
        "Commerce",
        date(2024, 2, 1),
        "NC",
        "Mission locale",
        "",
        "",
    ],
    [
        "Dupré-Lefèvre",
        "Amélie",
        date(1985, 2, 3),
        "amelie.dupre@example.org",
        "",
        "42000",
        "Saint-Étienne",
        "Boulangerie bio",
        "Alimentation",
        "",
        "",
        "",
        "Second passage : dossier complet.",
        "",
    ],
]
APPOINTMENT_HEADERS = [
    "Nom",
    "Prénom",
    "Date",
    "Heure",
    "Durée",
    "Objet",
    "Modalité",
    "Compte rendu",
]
APPOINTMENTS: list[list[object]] = [
    [
        "Dupré-Lefèvre",
        "Amélie",
        date(2024, 1, 15),
        time(9, 30),
        "1h30",
        "Accueil",
        "",
        "Premier entretien ; projet clair.",
    ],
    [
        "Martin",
        "Karim",
        date(2024, 2, 1),
        time(14, 0),
        "45 min",
        "Étude de marché",
        "Téléphone",
        "",
    ],
    [
        "Dupré-Lefèvre",
        "Amélie",
        date(2024, 3, 4),
        time(10, 0),
        "1,5 h",
        "Plan de financement",
        "",
        "",
    ],
]


def _csv_cell(value: object, day_first: bool = True) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if day_first else value.isoformat()
    text = str(value)
    if any(c in text for c in ';"\n,'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_lines(delimiter: str, day_first: bool = True) -> list[str]:
    width = len(HEADERS)
    empty = delimiter * (width - 1)
    lines = [TITLE + empty, empty, empty, delimiter.join(HEADERS)]
    lines += [delimiter.join(_csv_cell(v, day_first) for v in row) for row in PEOPLE]
    lines.append(empty)  # Excel keeps a trailing empty row of delimiters
    return lines


def write_cp1252_csv(folder: Path) -> Path:
    """Excel's "CSV (séparateur : point-virgule)": Windows-1252, CRLF, ";" and quotes."""
    path = folder / "suivi porteurs 2024.csv"
    path.write_bytes("\r\n".join(_csv_lines(";")).encode("cp1252") + b"\r\n")
    return path


def write_utf8_bom_csv(folder: Path) -> Path:
    """Excel's "CSV UTF-8": a byte-order mark, "," between cells, ISO dates, U+202F."""
    path = folder / "porteurs-utf8.csv"
    lines = _csv_lines(",", day_first=False)
    lines = [line.replace("\u00a0", "\u202f") for line in lines]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    return path


def write_tracker_xlsx(folder: Path) -> Path:
    """A workbook: a title, a blank row, the header on row 4 starting at column B, real
    date cells; a second sheet of appointments with date and time cells."""
    path = folder / "Suivi 2024.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    clock = workbook.add_format({"num_format": "hh:mm"})
    sheet = workbook.add_worksheet("Porteurs")
    sheet.write_string(0, 1, TITLE)
    sheet.write_row(3, 1, HEADERS)
    for r, row in enumerate(PEOPLE, start=4):
        for c, value in enumerate(row, start=1):
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, time()), day)
            elif value != "":
                sheet.write_string(r, c, str(value))
    meetings = workbook.add_worksheet("Rendez-vous")
    meetings.write_row(0, 0, APPOINTMENT_HEADERS)
    for r, row in enumerate(APPOINTMENTS, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                meetings.write_datetime(r, c, datetime.combine(value, time()), day)
            elif isinstance(value, time):
                meetings.write_datetime(r, c, datetime.combine(date(1899, 12, 31), value), clock)
            elif value != "":
                meetings.write_string(r, c, str(value))
    workbook.close()
    return path


def write_tracker_xls(folder: Path) -> Path:
    """The old Excel format: date cells, a title line, the appointments on sheet 2."""
    path = folder / "suivi.xls"
    book = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    sheet = book.add_sheet("Porteurs")
    sheet.write(0, 0, TITLE)
    for c, header in enumerate(HEADERS):
        sheet.write(2, c, header)
    for r, row in enumerate(PEOPLE, start=3):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r, c, value, day)
            elif value != "":
                sheet.write(r, c, str(value))
    meetings = book.add_sheet("Rendez-vous")
    for c, header in enumerate(APPOINTMENT_HEADERS):
        meetings.write(0, c, header)
    for r, row in enumerate(APPOINTMENTS, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                meetings.write(r, c, value, day)
            elif isinstance(value, time):
                meetings.write(r, c, value.strftime("%H:%M"))
            elif value != "":
                meetings.write(r, c, str(value))
    book.save(str(path))
    return path


def _ods_cell(value: object) -> TableCell:
    if isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
    elif isinstance(value, time):
        cell = TableCell(valuetype="time", timevalue=value.strftime("PT%HH%MM00S"))
        cell.addElement(P(text=value.strftime("%H:%M")))
    elif value == "":
        cell = TableCell()
    else:
        cell = TableCell(valuetype="string")
        for line in str(value).split("\n"):
            cell.addElement(P(text=line))
    return cell


def _ods_rows(table: Table, rows: list[list[object]]) -> None:
    for row in rows:
        element = TableRow()
        for value in row:
            element.addElement(_ods_cell(value))
        table.addElement(element)


def write_tracker_ods(folder: Path) -> Path:
    """LibreOffice's format: a title, blank rows, date cells, the appointments on sheet 2."""
    path = folder / "suivi.ods"
    document = OpenDocumentSpreadsheet()
    people = Table(name="Porteurs")
    _ods_rows(people, [[TITLE], [], [], list(HEADERS), *PEOPLE])
    document.spreadsheet.addElement(people)
    meetings = Table(name="Rendez-vous")
    _ods_rows(meetings, [list(APPOINTMENT_HEADERS), *APPOINTMENTS])
    document.spreadsheet.addElement(meetings)
    document.save(str(path))
    return path


@pytest.fixture(params=["cp1252_csv", "utf8_bom_csv", "tracker_xlsx", "tracker_xls", "tracker_ods"])
def any_tracker(request: pytest.FixtureRequest) -> Path:
    """Each of the trackers in turn."""
    path: Path = request.getfixturevalue(request.param)
    return path


@pytest.fixture
def cp1252_csv(tmp_path: Path) -> Path:
    return write_cp1252_csv(tmp_path)


@pytest.fixture
def utf8_bom_csv(tmp_path: Path) -> Path:
    return write_utf8_bom_csv(tmp_path)


@pytest.fixture
def tracker_xlsx(tmp_path: Path) -> Path:
    return write_tracker_xlsx(tmp_path)


@pytest.fixture
def tracker_xls(tmp_path: Path) -> Path:
    return write_tracker_xls(tmp_path)


@pytest.fixture
def tracker_ods(tmp_path: Path) -> Path:
    return write_tracker_ods(tmp_path)
