"""What the import of a spreadsheet shows before anything is imported: the sheets of a file,
its first rows (to choose the header row), the table under the header and how its columns
map to Boussole's fields; and the column mappings saved by name in the workspace's settings
or as JSON files. The import itself is `sheet_import`.

The reading and mapping live in `advisor_app.sheets`; the UI reaches them only here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.private_files import write_private_text
from advisor_app.services.settings import SettingsService
from advisor_app.sheets.columns import (
    IGNORE,
    NOTE,
    UNMAPPED,
    FieldChoice,
    SheetKind,
    automatic,
    field_choices,
    field_label,
)
from advisor_app.sheets.mapping import Mapping, MappingError
from advisor_app.sheets.reading import (
    SUFFIXES,
    Cell,
    ReadStep,
    Row,
    Table,
    find_header_row,
    first_rows,
    reading_table,
    sheet_names,
)
from advisor_app.storage.workspace import Progress

MAPPINGS_SETTING = "sheet_mappings"  # {name: Mapping.to_dict()}

__all__ = [
    "IGNORE",
    "MAPPINGS_SETTING",
    "NOTE",
    "SUFFIXES",
    "UNMAPPED",
    "Cell",
    "FieldChoice",
    "Mapping",
    "MappingError",
    "PreviewRow",
    "SheetKind",
    "SheetPreviewService",
    "Table",
    "automatic",
    "field_choices",
    "field_label",
]


@dataclass(frozen=True)
class PreviewRow:
    """A row of the file, with its number as the spreadsheet shows it; its cells as read
    (text, numbers, dates, times: the window writes them the user's way)."""

    number: int
    cells: tuple[Cell, ...]


def _preview(row: Row) -> PreviewRow:
    return PreviewRow(row.number, row.cells)


class SheetPreviewService:
    def __init__(self, settings: SettingsService) -> None:
        self.settings = settings

    # -- the file ------------------------------------------------------------------------

    def sheets(self, path: Path) -> list[str]:
        """The sheets of a workbook; [] for a CSV file."""
        return sheet_names(path)

    def first_rows(
        self, path: Path, sheet: str | None = None, limit: int = 30
    ) -> tuple[list[PreviewRow], int | None]:
        """The first rows that hold something, and the one that looks like the header."""
        rows = first_rows(path, sheet, limit)
        return [_preview(row) for row in rows], find_header_row(rows)

    def reading(
        self, path: Path, sheet: str | None = None, header_row: int | None = None
    ) -> Iterator[Progress | Table]:
        """The table under the header, yielding progress as its rows are read."""
        for step in reading_table(path, sheet, header_row):
            yield Progress(step.done, step.total) if isinstance(step, ReadStep) else step

    @staticmethod
    def column_preview(table: Table, index: int, limit: int = 5) -> list[Cell]:
        """The first values under a column, as read."""
        return table.column(index, limit)

    # -- mappings ------------------------------------------------------------------------

    def automatic(
        self, people: Sequence[str], appointments: Sequence[str] = (), keep_unmapped: bool = True
    ) -> Mapping:
        """Each column mapped to the field its header most likely names."""
        return Mapping(
            automatic(people, SheetKind.PEOPLE),
            automatic(appointments, SheetKind.APPOINTMENTS),
            keep_unmapped,
        )

    def saved_mappings(self) -> list[str]:
        """The names of the mappings saved in the workspace, in alphabetical order."""
        return sorted(self._saved(), key=str.casefold)

    def mapping_named(self, name: str) -> Mapping:
        saved = self._saved()
        if name not in saved:
            raise AdvisorError(
                N_("No column mapping is saved under the name {name}."),
                N_("Choose one of the saved mappings."),
                name=name,
            )
        return Mapping.from_dict(saved[name], name)

    def save_mapping(self, name: str, mapping: Mapping) -> Changes:
        """Keep `mapping` under `name` (replacing one of that name)."""
        name = " ".join(name.split())
        if not name:
            raise AdvisorError(
                N_("A saved mapping needs a name."), N_("Type a name, such as the file's.")
            )
        saved = self._saved()
        saved[name] = mapping.to_dict()
        return self.settings.set(MAPPINGS_SETTING, saved)

    def forget_mapping(self, name: str) -> Changes:
        saved = self._saved()
        saved.pop(name, None)
        return self.settings.set(MAPPINGS_SETTING, saved)

    @staticmethod
    def mapping_from_file(path: Path) -> Mapping:
        """A mapping saved as a JSON file; MappingError when it is not one."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MappingError(
                N_("{name} is not a column mapping saved by Boussole."),
                N_("Choose a mapping file saved from the import of a spreadsheet."),
                name=path.name,
            ) from error
        return Mapping.from_json(text, path.name)

    @staticmethod
    def write_mapping_file(path: Path, mapping: Mapping) -> Path:
        """Save `mapping` as a JSON file (column names only: no one's data)."""
        return write_private_text(path, mapping.to_json())

    def _saved(self) -> dict[str, dict[str, object]]:
        value = self.settings.get(MAPPINGS_SETTING)
        return dict(value) if isinstance(value, dict) else {}
