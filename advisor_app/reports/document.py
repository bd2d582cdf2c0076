"""What every report shares: fonts and styles, the page frame, tables, and writing the file.

A report builds a list of flowables (its "story") from a read model; `write_pdf` lays it out
on A4 pages with the organisation and advisor in the header, the printing date and
"page x of y" in the footer, and writes the file in one move (a temporary name, then rename).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_time
from advisor_app.reports.fonts import register_fonts
from advisor_app.reports.sources import PageFrame

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 1.8 * cm
FRAME_PADDING = 6  # reportlab's frames keep 6 points inside each side
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
LEFT = MARGIN + FRAME_PADDING
RIGHT = PAGE_WIDTH - MARGIN - FRAME_PADDING
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#2f5d7c")
LIGHT = colors.HexColor("#eef2f5")
RULE = colors.HexColor("#9aa5b1")
ALERT = colors.HexColor("#b42318")
GOOD = colors.HexColor("#1b7a43")
MUTED = colors.HexColor("#616e7c")

Flowable = Any


class Styles:
    """The paragraph styles of every report, in DejaVu Sans so that every name prints."""

    def __init__(self) -> None:
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle(
            "body", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK
        )
        self.title = ParagraphStyle(
            "title",
            parent=self.body,
            fontName=bold,
            fontSize=17,
            leading=21,
            textColor=ACCENT,
            spaceAfter=2,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=self.body, fontSize=11, leading=14, textColor=MUTED, spaceAfter=8
        )
        self.heading = ParagraphStyle(
            "heading",
            parent=self.body,
            fontName=bold,
            fontSize=12,
            leading=15,
            textColor=ACCENT,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=bold)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_right_bold = ParagraphStyle(
            "cell_right_bold", parent=self.cell_right, fontName=bold
        )
        self.head = ParagraphStyle("head", parent=self.cell_bold, textColor=colors.white)
        self.head_right = ParagraphStyle("head_right", parent=self.head, alignment=TA_RIGHT)
        self.missing = ParagraphStyle("missing", parent=self.body, textColor=MUTED)
        self.alert_cell = ParagraphStyle("alert_cell", parent=self.cell_bold, textColor=ALERT)
        self.alert_cell_right = ParagraphStyle(
            "alert_cell_right", parent=self.cell_right_bold, textColor=ALERT
        )
        self.alert = ParagraphStyle("alert", parent=self.body, fontName=bold, textColor=ALERT)


def text(value: str) -> str:
    """Plain text made safe for a Paragraph, its line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def not_provided() -> str:
    return _("not provided")


def given(value: object) -> str:
    """The value as text, or "not provided" when it is empty or missing."""
    if value is None:
        return not_provided()
    if isinstance(value, str):
        return value.strip() or not_provided()
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def para(value: str, style: ParagraphStyle) -> Flowable:
    return Paragraph(text(value), style)


def long_text(value: str, styles: Styles) -> Flowable:
    """A paragraph of the advisor's prose, or "not provided" in grey."""
    if not value.strip():
        return Paragraph(text(not_provided()), styles.missing)
    return Paragraph(text(value.strip()), styles.body)


def heading(value: str, styles: Styles) -> Flowable:
    return Paragraph(text(value), styles.heading)


def title_block(title: str, subtitle: str, styles: Styles) -> list[Flowable]:
    return [Paragraph(text(title), styles.title), Paragraph(text(subtitle), styles.subtitle)]


def facts_table(
    rows: Sequence[tuple[str, object]], styles: Styles, label_width: float = 5 * cm
) -> Flowable:
    """Label and value pairs on two columns; empty values print as "not provided"."""
    data = [
        [Paragraph(text(label), styles.cell_bold), Paragraph(text(given(value)), styles.cell)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LIGHT),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    styles: Styles,
    *,
    right: frozenset[int] = frozenset(),
    footer: Sequence[str] | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    row_height: float | None = None,
) -> Flowable:
    """A table that splits across pages with its header row repeated; cells wrap."""

    def cell(value: object, column: int, bold: bool = False) -> Flowable:
        if not isinstance(value, str):
            return value
        if column in right:
            style = styles.cell_right_bold if bold else styles.cell_right
        else:
            style = styles.cell_bold if bold else styles.cell
        return Paragraph(text(value), style)

    data: list[list[Flowable]] = [
        [
            Paragraph(text(h), styles.head_right if i in right else styles.head)
            for i, h in enumerate(header)
        ]
    ]
    data += [[cell(value, i) for i, value in enumerate(row)] for row in rows]
    if footer is not None:
        data.append([cell(value, i, bold=True) for i, value in enumerate(footer)])
    heights = None
    if row_height is not None:
        heights = [None] + [row_height] * len(rows) + ([None] if footer is not None else [])
    table = Table(data, colWidths=list(widths), rowHeights=heights, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if rows:
        last_body = len(rows)
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, last_body), [colors.white, LIGHT]))
    if footer is not None:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 1, INK),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    commands += list(extra)
    table.setStyle(TableStyle(commands))
    return table


def empty_note(message: str, styles: Styles) -> Flowable:
    return Paragraph(text(message), styles.missing)


def gap(height: float = 0.3 * cm) -> Flowable:
    return Spacer(1, height)


# -- the page frame and the file -----------------------------------------------------------


def _frame_canvas(frame: PageFrame, title: str) -> Callable[..., Any]:
    """A canvas class that draws header and footer once the number of pages is known."""
    regular, bold = register_fonts()
    organisation = frame.organisation.strip() or _("Organisation not provided")
    advisor = frame.advisor.strip() or _("Advisor not provided")
    printed = _("Printed on {date} at {time}").format(
        date=format_date(frame.printed_at.date()), time=format_time(frame.printed_at)
    )
    page_of = _("Page {page} of {pages}")

    class FramedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self._draw_frame(number, total)
                super().showPage()
            super().save()

        def _draw_frame(self, number: int, total: int) -> None:
            self.saveState()
            top = PAGE_HEIGHT - 1.1 * cm
            self.setFillColor(ACCENT)
            self.setFont(bold, 9)
            self.drawString(LEFT, top, organisation)
            self.setFillColor(MUTED)
            self.setFont(regular, 8.5)
            self.drawRightString(RIGHT, top, advisor)
            self.drawString(LEFT, top - 11, title)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(LEFT, top - 15, RIGHT, top - 15)
            bottom = 1.0 * cm
            self.line(LEFT, bottom + 10, RIGHT, bottom + 10)
            self.setFont(regular, 8)
            self.drawString(LEFT, bottom, printed)
            self.drawRightString(RIGHT, bottom, page_of.format(page=number, pages=total))
            self.restoreState()

    return FramedCanvas


def protect_with_password(source: Path, target: Path, password: str) -> None:
    """Encrypt `source` into `target` with AES-256 (PDF 2.0 security, revision 6): every
    common reader asks for the password. reportlab's own encryption is RC4, or an AES mode
    marked beta that readers fail to open; pypdf's is the well-kept one."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(
        user_password=password,
        owner_password=secrets.token_urlsafe(32),
        algorithm="AES-256",
    )
    with target.open("wb") as handle:
        writer.write(handle)


def write_pdf(
    path: Path,
    story: list[Flowable],
    frame: PageFrame,
    title: str,
    *,
    password: str | None = None,
    author: str = "",
) -> Path:
    """Lay `story` out on framed A4 pages and write it to `path` (complete or not at all)."""
    folder = path.parent
    if not folder.is_dir():
        raise AdvisorError(
            N_("The folder {folder} does not exist."),
            N_("Choose an existing folder for the report."),
            folder=str(folder),
        )
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=folder)
    os.close(handle)
    try:
        document = SimpleDocTemplate(
            temporary,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.6 * cm,
            bottomMargin=MARGIN,
            title=title,
            author=author or frame.advisor,
            creator="Boussole",
            lang=frame.language,
            # Same content, same bytes (no random id, no creation time): exports stay
            # reproducible.
            invariant=True,
        )
        document.build(story, canvasmaker=_frame_canvas(frame, title))
        if password:
            protected = Path(f"{temporary}.protected")
            try:
                protect_with_password(Path(temporary), protected, password)
                os.replace(protected, temporary)
            finally:
                protected.unlink(missing_ok=True)
        os.replace(temporary, path)
    except OSError as error:
        raise AdvisorError(
            N_("The report could not be written to {path}: {reason}"),
            N_("Check that the folder is writable and the file is not open elsewhere."),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path
