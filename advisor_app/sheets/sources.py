"""Where a table's rows come from: a CSV file decoded and cut at its delimiter, or a sheet
of a workbook through python-calamine; and the sentences for a file that cannot be read.

CSV is decoded by its byte-order mark, else as UTF-8 when it is valid UTF-8, else by
charset-normalizer's guess among the encodings Excel and LibreOffice write in Western
Europe (Windows-1252 first); its delimiter is a `sep=` first line when Excel wrote one,
else the one of `;`, `,` and tab that cuts the first lines into the most rows of the same
width. The csv module does Excel's quoting (delimiters and line breaks inside quotes) and
line ends. `.xlsx`, `.xls` and `.ods` go through python-calamine: date cells come back as
dates, numbers as floats, times as times.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import python_calamine
from charset_normalizer import from_bytes

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_

Cell = str | int | float | bool | date | datetime | time | timedelta
"""One cell as read: text for CSV; text, float, bool, date, datetime, time or timedelta
from a workbook (calamine gives "" for an empty cell). Never None."""

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = CSV_SUFFIXES + WORKBOOK_SUFFIXES
SAMPLE_ROWS = 40  # rows looked at to find the header and the delimiter
_SAMPLE_CHARS = 256 * 1024
_DELIMITERS = (";", ",", "\t")
# Encodings a French spreadsheet may be saved in, tried in this order when not UTF-8.
_WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class SheetReadError(AdvisorError):
    """A file that cannot be read as a spreadsheet: said with its name and what to do."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row under the header: its number in the file (1-based) and its cells, as many as
    were read (`cell(i)` gives "" past the end)."""

    number: int
    cells: tuple[Cell, ...]

    def cell(self, index: int) -> Cell:
        return self.cells[index] if index < len(self.cells) else ""


# -- the two kinds of source -------------------------------------------------------------


class Source:
    """Rows of one sheet (or of a CSV file), numbered as in the file, empty ones included."""

    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    estimated_rows: int = 0

    @staticmethod
    def open(path: Path, sheet: str | None) -> Source:
        if file_kind(path) == "csv":
            return _CsvSource(path)
        return _WorkbookSource(path, sheet)

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError


class _CsvSource(Source):
    def __init__(self, path: Path) -> None:
        data = _read_bytes(path)
        if b"\x00" in data[:4096] and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        ):
            raise _not_a_spreadsheet(path)
        self.encoding, text = _decoded(data)
        self.text, self.delimiter = _delimited(text)
        if not self.text.strip():
            raise empty_file(path, None)
        self.estimated_rows = self.text.count("\n") + 1
        self.path = path

    def rows(self) -> Iterator[Row]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter or ";")
        try:
            # Numbered as the spreadsheet program shows them: a row with line breaks inside
            # quotes is one row, and Excel hides a "sep=" line.
            for number, cells in enumerate(reader, start=1):
                yield Row(number, tuple(cells))
        except csv.Error as error:
            raise SheetReadError(
                N_("{name} cannot be read as CSV near line {line}: {reason}."),
                N_("Open it in your spreadsheet program and save it again as CSV or .xlsx."),
                name=self.path.name,
                line=reader.line_num,
                reason=str(error),
            ) from error


class _WorkbookSource(Source):
    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        with open_workbook(path) as workbook:
            names = workbook.sheet_names
            if not names:
                raise empty_file(path, None)
            self.sheet = names[0] if sheet is None else sheet
            if self.sheet not in names:
                raise SheetReadError(
                    N_("{name} has no sheet named {sheet}."),
                    N_("Its sheets are: {sheets}."),
                    name=path.name,
                    sheet=self.sheet,
                    sheets=", ".join(names),
                )
            try:
                self._sheet = workbook.get_sheet_by_name(self.sheet)
            except python_calamine.CalamineError as error:
                raise _not_a_spreadsheet(path) from error
        end = self._sheet.end
        self.estimated_rows = end[0] + 1 if end is not None else 0

    def rows(self) -> Iterator[Row]:
        # calamine yields the rows from the first row of the sheet (empty leading rows
        # included) and the columns from the first one that holds something.
        for index, cells in enumerate(self._sheet.iter_rows()):
            yield Row(index + 1, tuple(cells))


class _OpenWorkbook:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError as error:
            raise _protected(path) from error
        except (python_calamine.CalamineError, ValueError) as error:
            if _encrypted_office_file(path):
                raise _protected(path) from error
            raise _not_a_spreadsheet(path) from error
        except FileNotFoundError as error:
            raise _missing(path) from error
        except OSError as error:
            raise _unreadable(path, error) from error
        except Exception as error:  # calamine raises plain errors on some broken files
            if _encrypted_office_file(path):
                raise _protected(path) from error
            raise _not_a_spreadsheet(path) from error

    def __enter__(self) -> python_calamine.CalamineWorkbook:
        return self.workbook

    def __exit__(self, *exc: object) -> None:
        self.workbook.close()


def open_workbook(path: Path) -> _OpenWorkbook:
    if not path.is_file():
        raise _missing(path)
    return _OpenWorkbook(path)


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in WORKBOOK_SUFFIXES:
        return "workbook"
    raise SheetReadError(
        N_(
            "{name} is not a spreadsheet Boussole can read: it reads CSV, .xlsx, .xls and .ods files."
        ),
        N_(
            "Open it in your spreadsheet program and save it as .xlsx or as CSV, then import that file."
        ),
        name=path.name,
    )


# -- CSV: encoding and delimiter ----------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise _missing(path) from error
    except IsADirectoryError as error:
        raise _missing(path) from error
    except OSError as error:
        raise _unreadable(path, error) from error


def _decoded(data: bytes) -> tuple[str, str]:
    """(encoding, text): a byte-order mark first, then UTF-8, then the best Western guess."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return encoding, data.decode(encoding, errors="replace")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[:_SAMPLE_CHARS], cp_isolation=_WESTERN).best()
    encoding = guess.encoding if guess is not None else "cp1252"
    if encoding in ("latin_1", "iso8859_1", "iso8859_15"):
        encoding = "cp1252"  # what Windows writes; it reads the same letters, and € too
    return encoding, data.decode(encoding, errors="replace")


def _delimited(text: str) -> tuple[str, str]:
    """(text without a `sep=` line, delimiter)."""
    first_line, _newline, rest = text.partition("\n")
    hint = re.fullmatch(r'"?sep=(.)"?\r?', first_line.strip("\ufeff"))
    if hint is not None:
        return rest, hint.group(1)
    return text, _sniffed_delimiter(text)


def _sniffed_delimiter(text: str) -> str:
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS:
        sample = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ";", (0, 0)  # ";" unless another cuts rows into several cells
    for delimiter in _DELIMITERS:
        widths: list[int] = []
        try:
            for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(cell.strip() for cell in cells):
                    widths.append(len(cells))
                if len(widths) >= SAMPLE_ROWS:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(common), common)
        if common > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


# -- sentences ---------------------------------------------------------------------------


def _encrypted_office_file(path: Path) -> bool:
    """A password-protected .xlsx is an OLE file holding an `EncryptionInfo` stream."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return head.startswith(_OLE_SIGNATURE) and (
        path.suffix.lower() != ".xls" or _ENCRYPTED_MARK in head
    )


def _missing(path: Path) -> SheetReadError:
    return SheetReadError(
        N_("{name} cannot be found, or is a folder."),
        N_("Choose the spreadsheet file again."),
        name=str(path),
    )


def _unreadable(path: Path, error: OSError) -> SheetReadError:
    return SheetReadError(
        N_("{name} cannot be opened: {reason}."),
        N_(
            "Close it in the program that has it open, or copy it into your Documents folder, then try again."
        ),
        name=path.name,
        reason=error.strerror or str(error),
    )


def _not_a_spreadsheet(path: Path) -> SheetReadError:
    return SheetReadError(
        N_("{name} cannot be read as a spreadsheet: it is damaged or is not what its name says."),
        N_(
            "Open it in your spreadsheet program and save it again as .xlsx or CSV, then import that copy."
        ),
        name=path.name,
    )


def _protected(path: Path) -> SheetReadError:
    return SheetReadError(
        N_("{name} is protected by a password, so it cannot be read."),
        N_(
            "Open it in your spreadsheet program, save a copy without the password, and import the copy."
        ),
        name=path.name,
    )


def empty_file(path: Path, sheet: str | None) -> SheetReadError:
    if sheet is None:
        return SheetReadError(
            N_("{name} holds no data."),
            N_("Check that it is the right file: it may have been saved empty."),
            name=path.name,
        )
    return SheetReadError(
        N_("The sheet {sheet} of {name} holds no data."),
        N_("Choose the sheet that holds the table."),
        name=path.name,
        sheet=sheet,
    )
