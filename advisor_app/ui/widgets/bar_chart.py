"""Vertical bars drawn with QPainter: a label under each bar, its value above it.

The value is written whole, as the caller formatted it ("105 h 15", as the figure beside the
chart says): when the bars are narrow, the values get a smaller font or two lines, never an
ellipsis; too narrow even for that, they are left out (the chart's tooltip gives them).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self._bars: list[tuple[str, float, str]] = []
        self.color = QColor("#2f6f8f")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(160)

    def set_bars(self, bars: list[tuple[str, float, str]]) -> None:
        """Each bar: (label under it, value, text written above it)."""
        self._bars = list(bars)
        self.update()

    def bars(self) -> list[tuple[str, float, str]]:
        return list(self._bars)

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        if not self._bars:
            return
        if self.horizontal:
            self._paint_rows(painter, text_color)
            painter.end()
            return
        metrics = painter.fontMetrics()
        line = metrics.height()
        width = self.width() / len(self._bars)
        value_font, values = self.value_layout(painter.font(), width - 2)
        value_metrics = QFontMetrics(value_font)
        most_lines = max(len(v) for v in values)
        value_height = value_metrics.height() + value_metrics.lineSpacing() * (most_lines - 1) + 2
        top, bottom = value_height + 4, self.height() - line - 6
        highest = max((value for _l, value, _t in self._bars), default=0) or 1
        for number, ((caption, value, _text), lines) in enumerate(
            zip(self._bars, values, strict=True)
        ):
            left = number * width
            height = (bottom - top) * value / highest
            bar = QRectF(left + width * 0.18, bottom - height, width * 0.64, height)
            painter.fillRect(bar, self.color)
            painter.setPen(text_color)
            painter.setFont(value_font)
            painter.drawText(
                QRectF(left, bar.top() - value_height - 2, width, value_height),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
                | int(Qt.TextFlag.TextDontClip),  # a value is never cut, even by a pixel
                "\n".join(
                    value_metrics.elidedText(part, Qt.TextElideMode.ElideRight, int(width))
                    for part in lines
                ),
            )
            painter.setFont(self.font())
            painter.drawText(
                QRectF(left, bottom + 4, width, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                metrics.elidedText(caption, Qt.TextElideMode.ElideRight, int(width)),
            )
        painter.end()

    def value_layout(self, base: QFont, width: float) -> tuple[QFont, list[list[str]]]:
        """The font and lines of the values above the bars: on one line, in a font made
        smaller (down to 6.5 points) until all fit in `width`; else a value too long goes on
        two lines ("167 h" over "45 min"), down to 6 points; else none at all (the caller's
        tooltip gives them), rather than a value cut short that would read as another."""
        start = base.pointSizeF() if base.pointSizeF() > 0 else 9.0
        texts = [text for _c, _v, text in self._bars]
        for two_lines, smallest in ((False, 6.5), (True, 6.0)):
            size = start
            while size >= smallest:
                font = QFont(base)
                font.setPointSizeF(size)
                metrics = QFontMetrics(font)
                lines = [
                    _halves(t) if two_lines and metrics.horizontalAdvance(t) > width else [t]
                    for t in texts
                ]
                if all(metrics.horizontalAdvance(p) <= width for v in lines for p in v):
                    return font, lines
                size -= 0.5
        font = QFont(base)
        font.setPointSizeF(6.0)
        return font, [[""] for _t in texts]

    def _paint_rows(self, painter: QPainter, text_color: QColor) -> None:
        metrics = painter.fontMetrics()
        row = self.height() / len(self._bars)
        caption_width = min(
            max(metrics.horizontalAdvance(c) for c, _v, _t in self._bars) + 8, self.width() * 0.45
        )
        value_width = max(metrics.horizontalAdvance(t) for _c, _v, t in self._bars) + 8
        span = max(self.width() - caption_width - value_width, 1)
        highest = max((value for _c, value, _t in self._bars), default=0) or 1
        for number, (caption, value, text) in enumerate(self._bars):
            top = number * row
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, top, caption_width - 8, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(caption, Qt.TextElideMode.ElideRight, int(caption_width - 8)),
            )
            length = span * value / highest
            bar = QRectF(caption_width, top + row * 0.18, length, row * 0.64)
            painter.fillRect(bar, self.color)
            painter.drawText(
                QRectF(caption_width + length + 4, top, value_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )


def _halves(text: str) -> list[str]:
    """`text` cut in two at the space nearest its middle, after a unit rather than between
    a number and its unit ("167 h 45 min" → "167 h", "45 min"); a text without a space
    stays whole."""
    spaces = [i for i, c in enumerate(text) if c.isspace()]
    after_unit = [i for i in spaces if i > 0 and not text[i - 1].isdigit()]
    spaces = after_unit or spaces
    if not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(len(text) - 2 * i))
    return [text[:cut], text[cut + 1 :]]
