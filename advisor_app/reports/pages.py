"""The pages of a report: header and footer on every page, the file's metadata, and writing
the file in one move (a temporary name, then rename), readable by its owner only.

The header holds the organisation, the advisor and the document's title. Names of any
length wrap on up to two lines each (then end with "…"), and the text starts below the
header, however many lines it took. The footer holds the printing date (no time, so two
prints of the same data read the same) and "page x of y".
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import SimpleDocTemplate  # type: ignore[import-untyped]

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date
from advisor_app.reports.flow import forget_layout, keep_headings_with_starts, tightened
from advisor_app.reports.fonts import register_fonts
from advisor_app.reports.look import (
    ACCENT,
    CONTENT_WIDTH,
    LEFT,
    MARGIN,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    RULE,
)
from advisor_app.reports.sources import PageFrame
from advisor_app.reports.typesetting import unbreakable

Flowable = Any
OWNER_ONLY = 0o600
HEADER_TOP: float = PAGE_HEIGHT - 1.1 * cm  # baseline of the header's first line
HEADER_LEADING = 10.5
HEADER_GAP = 12  # between the organisation and the advisor when they share a line
BELOW_RULE = 22  # from the header's rule to the top of the text
ORGANISATION_SHARE = 0.58  # of the header's width, when both names need more than half
NAME_LINES = 2  # lines an organisation, an advisor or a title may take before "…"
ELLIPSIS = "…"
SHORT_LAST_PAGE = 0.25  # a last page filled less than this is worth avoiding...
SHORT_DOCUMENT = 6  # ...in a document of this many pages at most (a longer one keeps its flow)
TIGHTER = (0.7, 0.5, 0.3)  # vertical spaces tried, as a share of the normal ones


# -- when the document was made ------------------------------------------------------------


def printing_moment(frame: PageFrame) -> datetime:
    """When the document counts as printed: SOURCE_DATE_EPOCH when set (a reprint made
    byte-identical on purpose), else the frame's printing time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return frame.printed_at


@dataclass(frozen=True)
class _Stamp:
    """What reportlab reads to write CreationDate and ModDate (its `TimeStamp`'s shape)."""

    t: float
    YMDhms: tuple[int, int, int, int, int, int]
    dhh: int
    dmm: int


def _stamp(moment: datetime) -> _Stamp:
    aware = moment if moment.tzinfo is not None else moment.astimezone()
    offset = aware.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return _Stamp(
        aware.timestamp(),
        (aware.year, aware.month, aware.day, aware.hour, aware.minute, aware.second),
        int(minutes / 60),
        abs(minutes) % 60,
    )


# -- the header: names that wrap, then shorten ---------------------------------------------


def fit_lines(value: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """`value` wrapped at its spaces into lines no wider than `width`; a word too long
    for a line is cut, and what does not fit on `max_lines` lines ends with "…"."""

    def fits(line: str) -> bool:
        return bool(stringWidth(line, font, size) <= width)

    def shortened(line: str) -> str:
        while line and not fits(line + ELLIPSIS):
            line = line[:-1]
        return line.rstrip() + ELLIPSIS

    lines: list[str] = []
    for word in value.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and fits(candidate):
            lines[-1] = candidate
            continue
        lines.append(word)
        while not fits(lines[-1]):  # a single word wider than the line
            head = shortened(lines[-1])[:-1] or lines[-1][0]
            rest = lines[-1][len(head) :]
            lines[-1] = head
            if not rest:
                break
            lines.append(rest)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shortened(" ".join(lines[max_lines - 1 :]))]
    return lines


@dataclass(frozen=True)
class PageHeader:
    organisation: list[str]
    advisor: list[str]
    title: list[str]
    font: str
    bold: str

    @property
    def rows(self) -> int:
        return max(len(self.organisation), len(self.advisor)) + len(self.title)

    @property
    def rule_y(self) -> float:
        return HEADER_TOP - (self.rows - 1) * HEADER_LEADING - 4

    @property
    def top_margin(self) -> float:
        """The page's top margin: the text starts the same distance below the rule always."""
        return PAGE_HEIGHT - self.rule_y + BELOW_RULE


def page_header(frame: PageFrame, title: str) -> PageHeader:
    regular, bold = register_fonts()
    organisation = frame.organisation.strip() or _("Organisation not provided")
    advisor = frame.advisor.strip() or _("Advisor not provided")
    left, right = _name_widths(
        stringWidth(organisation, bold, 9), stringWidth(advisor, regular, 8.5)
    )
    return PageHeader(
        organisation=fit_lines(organisation, bold, 9, left, NAME_LINES),
        advisor=fit_lines(advisor, regular, 8.5, right, NAME_LINES),
        title=fit_lines(title, regular, 8.5, CONTENT_WIDTH, NAME_LINES),
        font=regular,
        bold=bold,
    )


def _name_widths(organisation: float, advisor: float) -> tuple[float, float]:
    """The room of the organisation (left) and of the advisor (right) on the header's lines:
    what each needs when both fit, else the short one keeps its width and the long one
    wraps in the rest, else they share it (ORGANISATION_SHARE on the left)."""
    room = CONTENT_WIDTH - HEADER_GAP
    if organisation + advisor <= room:
        return CONTENT_WIDTH, CONTENT_WIDTH
    if organisation <= room * ORGANISATION_SHARE:
        return organisation, room - organisation
    if advisor <= room * (1 - ORGANISATION_SHARE):
        return room - advisor, advisor
    return room * ORGANISATION_SHARE, room * (1 - ORGANISATION_SHARE)


def _frame_canvas(frame: PageFrame, header: PageHeader) -> Callable[..., Any]:
    """A canvas class that draws header and footer once the number of pages is known, and
    dates the file."""
    moment = printing_moment(frame)
    printed = unbreakable(_("Printed on {date}").format(date=format_date(moment.date())))
    page_of = _("Page {page} of {pages}")
    stamp = _stamp(moment)

    class FramedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = stamp
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
            y = HEADER_TOP
            names = max(len(header.organisation), len(header.advisor))
            for row in range(names):
                if row < len(header.organisation):
                    self.setFillColor(ACCENT)
                    self.setFont(header.bold, 9)
                    self.drawString(LEFT, y, header.organisation[row])
                if row < len(header.advisor):
                    self.setFillColor(MUTED)
                    self.setFont(header.font, 8.5)
                    self.drawRightString(RIGHT, y, header.advisor[row])
                y -= HEADER_LEADING
            self.setFillColor(MUTED)
            self.setFont(header.font, 8.5)
            for line in header.title:
                self.drawString(LEFT, y, line)
                y -= HEADER_LEADING
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(LEFT, header.rule_y, RIGHT, header.rule_y)
            bottom = 1.0 * cm
            self.line(LEFT, bottom + 10, RIGHT, bottom + 10)
            self.setFont(header.font, 8)
            self.drawString(LEFT, bottom, printed)
            self.drawRightString(RIGHT, bottom, page_of.format(page=number, pages=total))
            self.restoreState()

    return FramedCanvas


# -- the file --------------------------------------------------------------------------------


def _owner_only(path: Path) -> int:
    """A new empty file that only its owner may read (its descriptor, open for writing)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)


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
    with os.fdopen(_owner_only(target), "wb") as handle:
        writer.write(handle)
    os.chmod(target, OWNER_ONLY)


def author_of(frame: PageFrame) -> str:
    """The advisor and the organisation, as far as they are known."""
    return " – ".join(p for p in (frame.advisor.strip(), frame.organisation.strip()) if p)


def write_pdf(
    path: Path,
    story: list[Flowable],
    frame: PageFrame,
    title: str,
    *,
    password: str | None = None,
    author: str = "",
    subject: str = "",
) -> Path:
    """Lay `story` out on framed A4 pages and write it to `path` (complete or not at all),
    readable by its owner only."""
    folder = path.parent
    if not folder.is_dir():
        raise AdvisorError(
            N_("The folder {folder} does not exist."),
            N_("Choose an existing folder for the report."),
            folder=str(folder),
        )
    header = page_header(frame, title)
    metadata = {
        "title": title,
        "author": author or author_of(frame),
        "subject": subject or title,
    }
    flowables = keep_headings_with_starts(story)
    content, pages, last_fill = _lay_out(flowables, frame, header, metadata)
    if 1 < pages <= SHORT_DOCUMENT and last_fill < SHORT_LAST_PAGE:
        for factor in TIGHTER:
            forget_layout(flowables)
            again, fewer, _fill = _lay_out(tightened(flowables, factor), frame, header, metadata)
            if fewer < pages:
                content = again
                break
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        if password:
            protected = Path(f"{temporary}.protected")
            try:
                protect_with_password(Path(temporary), protected, password)
                os.replace(protected, temporary)
            finally:
                protected.unlink(missing_ok=True)
        os.chmod(temporary, OWNER_ONLY)
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


def _lay_out(
    story: list[Flowable], frame: PageFrame, header: PageHeader, metadata: dict[str, str]
) -> tuple[bytes, int, float]:
    """The PDF's bytes, its number of pages and how full its last page is (0 to 1)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=header.top_margin,
        bottomMargin=MARGIN,
        creator="Boussole",
        lang=frame.language,
        # No random id: the same content printed at the same moment gives the same bytes.
        # The dates are set by the canvas (printing_moment).
        invariant=True,
        **metadata,
    )
    document.build(list(story), canvasmaker=_frame_canvas(frame, header))
    last = document.frame
    top = last._y1 + last._height - last._topPadding
    usable = last._height - last._topPadding - last._bottomPadding
    return buffer.getvalue(), int(document.page), (top - last._y) / usable
