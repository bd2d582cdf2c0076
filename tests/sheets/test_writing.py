"""The list of cases written back for a funder's spreadsheet, as .xlsx and as .csv, and read
back: with python-calamine, and through Boussole's own import reading."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from advisor_app.domain.enums import AppointmentStatus, FundingDecision, FundingKind
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import using_language
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.sheets.mapping import records_from
from advisor_app.sheets.reading import read_table
from tests.conftest import run_cli


@pytest.fixture
def léa(services: Services) -> str:
    """Léa Durand, accompanied 2 h 30 (one appointment cancelled), an honour loan of
    8 000 € asked and 6 000 € granted."""
    case_id, _warnings, _changes = services.cases.create(
        NewCase(
            first_name="Léa",
            last_name="Durand",
            birth_date=date(1985, 2, 3),
            email="lea.durand@example.org",
            commune="Saint-Étienne",
            postcode="42000",
            project_title="Boulangerie bio ; circuits courts",
            sector="Alimentation",
            opened_on=date(2026, 9, 1),
        )
    )
    for start, minutes, status in (
        (datetime(2026, 9, 1, 9, 30), 90, AppointmentStatus.DONE),
        (datetime(2026, 10, 6, 14, 0), 60, AppointmentStatus.DONE),
        (datetime(2026, 10, 20, 14, 0), 60, AppointmentStatus.CANCELLED),
    ):
        services.appointments.add(case_id, AppointmentDraft(start, minutes, status=status))
    services.funding.add_request(
        case_id,
        FundingDraft(
            "Initiative Loire",
            FundingKind.HONOUR_LOAN,
            800_000,
            committee_on=date(2026, 11, 2),
            decision=FundingDecision.PARTIALLY_GRANTED,
            amount_granted_cents=600_000,
        ),
    )
    return case_id


@pytest.fixture
def karim(services: Services) -> str:
    case_id, _warnings, _changes = services.cases.create(
        NewCase(first_name="Karim", last_name='=HYPERLINK("http://x")', commune="Lyon")
    )
    return case_id


def test_the_xlsx_holds_one_row_per_case_with_real_dates_hours_and_euros(
    services: Services, léa: str, karim: str, tmp_path: Path
) -> None:
    path = tmp_path / "financeur.xlsx"

    assert services.sheet_export.write(path) == 2

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    header, *rows = sheet.to_python()
    assert sheet.name == "Cases"
    assert header[:3] == ["Last name", "First name", "Birth date"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    durand = by_name["Durand"]
    assert durand["Birth date"] == date(1985, 2, 3)
    assert durand["Hours of accompaniment"] == 2.5
    assert durand["Honour loan asked"] == 8000
    assert durand["Honour loan granted"] == 6000
    assert durand["Project"] == "Boulangerie bio ; circuits courts"
    assert durand["Status"] == "Active"
    assert durand["Case number"] == léa
    # a name that looks like a formula stays a name
    assert by_name['=HYPERLINK("http://x")']["First name"] == "Karim"
    assert by_name['=HYPERLINK("http://x")']["Honour loan asked"] == ""


def test_the_csv_opens_in_french_excel_and_reads_back_through_the_import(
    services: Services, léa: str, karim: str, tmp_path: Path
) -> None:
    path = tmp_path / "financeur.csv"
    with using_language("fr"):
        services.sheet_export.write(path)

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    durand = next(row for row in table.rows if row.cell(0) == "Durand")
    cells = dict(zip(table.headers, durand.cells, strict=False))
    assert cells[table.headers[2]] == "03/02/1985"  # day first, in French
    assert "2,50" in durand.cells  # hours with a decimal comma
    assert "8000,00" in durand.cells
    formula = next(row for row in table.rows if row.cell(1) == "Karim")
    assert formula.cell(0) == '\'=HYPERLINK("http://x")'  # written as text, not run


def test_what_boussole_exports_it_can_import_again(
    services: Services, léa: str, tmp_path: Path
) -> None:
    path = tmp_path / "liste.csv"
    services.sheet_export.write(path)

    records = records_from(read_table(path), keep_unmapped=False)

    (person,) = records.people
    assert (person.last_name, person.first_name) == ("Durand", "Léa")
    assert person.birth_date == date(1985, 2, 3)
    assert person.email == "lea.durand@example.org"
    assert (person.postcode, person.commune) == ("42000", "Saint-Étienne")
    assert person.project_title == "Boulangerie bio ; circuits courts"
    assert records.refusals == []


def test_the_file_is_its_owners_only_and_binned_cases_stay_out(
    services: Services, léa: str, karim: str, tmp_path: Path
) -> None:
    services.cases.move_to_bin(karim)
    path = tmp_path / "liste.xlsx"

    assert services.sheet_export.write(path) == 1
    assert services.sheet_export.write(path, include_binned=True) == 2
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_another_kind_of_file_is_refused(services: Services, tmp_path: Path) -> None:
    with pytest.raises(AdvisorError) as refused:
        services.sheet_export.write(tmp_path / "liste.pdf")

    assert ".xlsx or .csv" in str(refused.value) or ".pdf" in str(refused.value)


def test_the_command_line_exports_the_list(services: Services, léa: str, tmp_path: Path) -> None:
    root = services.workspace.root
    services.close()
    path = tmp_path / "export.xlsx"

    code, out, err = run_cli(root, "export-sheet", "-o", str(path))

    assert code == 0, err
    assert out.strip() == f"1 case written to {path}."
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).height == 2

    code, _out, err = run_cli(root, "export-sheet", "-o", str(tmp_path / "export.ods"))
    assert code == 1 and ".xlsx or .csv" in err
