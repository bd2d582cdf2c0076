"""Printing a PDF the services wrote on a printer chosen in Qt's print dialog.

PySide6-Essentials has Qt's printing (QtPrintSupport) but not Qt PDF, so the pages are
rasterised by PDFium (pypdfium2, a small wheel for every system) at the printer's resolution,
at most 300 dpi, and drawn on the printer page by page, each fitted to the paper (the reports
carry their own margins). This runs off the interface thread: Qt allows painting on a QPrinter
from another thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_

MAX_DPI = 300
POINTS_PER_INCH = 72


def pdf_page_count(path: Path) -> int:
    import pypdfium2  # type: ignore[import-untyped]

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """The page numbers (from 1) the print dialog asked for, each as many times as copies
    are asked and the printer does not make them itself."""
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(count, printer.toPage() or count)
    numbers = list(range(first, last + 1))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if printer.collateCopies():
        return numbers * copies
    return [number for number in numbers for _copy in range(copies)]


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Print the pages of the PDF at `path` on `printer` as it is set; the pages printed."""
    import pypdfium2  # type: ignore[import-untyped]

    printer.setFullPage(True)
    document = pypdfium2.PdfDocument(str(path))
    painter = QPainter()
    try:
        numbers = pages_to_print(printer, len(document))
        if not numbers:
            return 0
        if not painter.begin(printer):
            raise AdvisorError(
                N_("The printer could not be reached: nothing was printed."),
                N_("Check that it is switched on and connected, then try again."),
            )
        dpi = min(printer.resolution(), MAX_DPI)
        paper = printer.pageLayout().fullRectPixels(printer.resolution())
        for index, number in enumerate(numbers):
            if index:
                printer.newPage()
            page = document[number - 1]
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH,
                rev_byteorder=True,
                prefer_bgrx=True,
                optimize_mode="print",
            )
            pixels = bytes(bitmap.buffer)  # kept while the image reads it
            image = QImage(
                pixels,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            target = _fitted(QSizeF(image.width(), image.height()), QRectF(paper))
            painter.drawImage(target, image)
            bitmap.close()
            page.close()
        return len(numbers)
    finally:
        if painter.isActive():
            painter.end()
        document.close()


def _fitted(size: QSizeF, area: QRectF) -> QRectF:
    """`size` scaled to fit in `area`, keeping its proportions, centred."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.left() + (area.width() - scaled.width()) / 2
    top = area.top() + (area.height() - scaled.height()) / 2
    return QRectF(left, top, scaled.width(), scaled.height())
