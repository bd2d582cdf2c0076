"""Vertical bars drawn with QPainter: a label under each bar, its value above it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
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
        top, bottom = line + 4, self.height() - line - 6
        width = self.width() / len(self._bars)
        highest = max((value for _l, value, _t in self._bars), default=0) or 1
        for number, (caption, value, text) in enumerate(self._bars):
            left = number * width
            height = (bottom - top) * value / highest
            bar = QRectF(left + width * 0.18, bottom - height, width * 0.64, height)
            painter.fillRect(bar, self.color)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(left, bar.top() - line - 2, width, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width)),
            )
            painter.drawText(
                QRectF(left, bottom + 4, width, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                metrics.elidedText(caption, Qt.TextElideMode.ElideRight, int(width)),
            )
        painter.end()

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
