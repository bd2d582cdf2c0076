"""What the import shows before importing: a file's sheets and first rows, its table and
columns guessed, and the column mappings the advisor saves by name or as a file."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from advisor_app.domain.errors import AdvisorError
from advisor_app.services import Progress, Services
from advisor_app.services.sheet_preview import IGNORE, Mapping, SheetKind, Table
from tests.sheets.conftest import HEADERS, write_tracker_xlsx


def test_the_sheets_first_rows_and_header_of_a_workbook(services: Services, tmp_path: Path) -> None:
    path = write_tracker_xlsx(tmp_path)
    preview = services.sheet_preview

    assert preview.sheets(path) == ["Porteurs", "Rendez-vous"]
    rows, header = preview.first_rows(path, "Porteurs")
    assert header == 4
    assert rows[1].number == 4 and rows[1].cells[0] == "NOM"
    assert rows[2].cells[2] == date(1985, 2, 3)  # a date cell, as a date


def test_the_table_is_read_with_progress_and_its_columns_guessed(
    services: Services, tmp_path: Path
) -> None:
    steps = list(services.sheet_preview.reading(write_tracker_xlsx(tmp_path), "Porteurs", 4))

    table = steps[-1]
    assert isinstance(table, Table)
    assert all(isinstance(step, Progress) for step in steps[:-1])
    mapping = services.sheet_preview.automatic(table.headers)
    assert mapping.columns(SheetKind.PEOPLE, HEADERS)[:3] == [
        "last_name",
        "first_name",
        "birth_date",
    ]
    assert services.sheet_preview.column_preview(table, 1) == ["Amélie", "Karim", "Amélie"]


def test_mappings_are_saved_by_name_in_the_workspace(services: Services) -> None:
    preview = services.sheet_preview
    mapping = Mapping(people={"NOM": "last_name", "Divers": IGNORE})

    changes = preview.save_mapping("  Suivi   2024 ", mapping)

    assert changes.settings
    assert preview.saved_mappings() == ["Suivi 2024"]
    assert preview.mapping_named("Suivi 2024") == mapping
    preview.forget_mapping("Suivi 2024")
    assert preview.saved_mappings() == []
    with pytest.raises(AdvisorError):
        preview.mapping_named("Suivi 2024")
    with pytest.raises(AdvisorError):
        preview.save_mapping("  ", mapping)


def test_a_mapping_file_is_written_and_read_back(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "colonnes.json"
    mapping = Mapping(people={"Tél.": "phone"}, appointments={"Durée": "minutes"})

    services.sheet_preview.write_mapping_file(path, mapping)

    assert services.sheet_preview.mapping_from_file(path) == mapping
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (tmp_path / "autre.json").write_bytes(b"\xff\xfe not text")
    with pytest.raises(AdvisorError):
        services.sheet_preview.mapping_from_file(tmp_path / "autre.json")
