"""The week grid of the agenda: days in columns, hours in rows, appointments as blocks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.i18n import format_date, format_time
from advisor_app.services.views import AgendaItem

FIRST_HOUR, LAST_HOUR = 8, 20
HEADER_HEIGHT = 36
GUTTER = 52
SLOT_MINUTES = 30

_COLORS = {
    AppointmentStatus.PLANNED: QColor("#cfe3ef"),
    AppointmentStatus.DONE: QColor("#d6ecd2"),
    AppointmentStatus.CANCELLED: QColor("#eeeeee"),
    AppointmentStatus.NO_SHOW: QColor("#f6dede"),
}
CONFLICT = QColor("#d32f2f")
TODAY = QColor("#fff6d6")


class WeekGrid(QWidget):
    """Click an appointment: `appointment_clicked`; double-click a free slot: `slot_chosen`."""

    appointment_clicked = Signal(object)
    slot_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monday = date.today() - timedelta(days=date.today().weekday())
        self.today = date.today()
        self.items: list[AgendaItem] = []
        self.setMinimumSize(640, 420)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(900, 560)

    def show_week(self, monday: date, today: date, items: list[AgendaItem]) -> None:
        self.monday, self.today, self.items = monday, today, items
        self.update()

    def _day_width(self) -> float:
        return (self.width() - GUTTER) / 7

    def _hour_height(self) -> float:
        return (self.height() - HEADER_HEIGHT) / (LAST_HOUR - FIRST_HOUR)

    def _y(self, moment: time) -> float:
        hours = moment.hour + moment.minute / 60 - FIRST_HOUR
        hours = min(max(hours, 0), LAST_HOUR - FIRST_HOUR)
        return HEADER_HEIGHT + hours * self._hour_height()

    def item_rect(self, item: AgendaItem) -> QRectF:
        day = (item.start.date() - self.monday).days
        left = GUTTER + day * self._day_width()
        top = self._y(item.start.time())
        end = (
            item.end
            if item.end.date() == item.start.date()
            else datetime.combine(item.start.date(), time(23, 59))
        )
        bottom = max(self._y(end.time()), top + 14)
        overlapping = [i for i in self.items if i.start.date() == item.start.date() and i.conflict]
        if item.conflict and len(overlapping) > 1:
            share = self._day_width() / len(overlapping)
            index = overlapping.index(item)
            return QRectF(left + index * share + 1, top, share - 2, bottom - top)
        return QRectF(left + 2, top, self._day_width() - 4, bottom - top)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        width = self._day_width()
        for day in range(7):
            left = GUTTER + day * width
            current = self.monday + timedelta(days=day)
            if current == self.today:
                painter.fillRect(QRectF(left, 0, width, self.height()), TODAY)
            painter.setPen(text)
            font = painter.font()
            font.setBold(current == self.today)
            painter.setFont(font)
            painter.drawText(
                QRectF(left, 0, width, HEADER_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                format_date(current, "EEE d MMM"),
            )
        font = painter.font()
        font.setBold(False)
        painter.setFont(font)
        for hour in range(FIRST_HOUR, LAST_HOUR + 1):
            y = self._y(time(min(hour, 23)))
            if hour == LAST_HOUR:
                y = self.height() - 1
            painter.setPen(grid)
            painter.drawLine(QPointF(GUTTER, y), QPointF(self.width(), y))
            if hour < LAST_HOUR:
                painter.setPen(text)
                painter.drawText(
                    QRectF(0, y - 2, GUTTER - 6, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    format_time(time(hour, 0)),
                )
        painter.setPen(grid)
        for day in range(8):
            x = GUTTER + day * width
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        metrics = painter.fontMetrics()
        for item in self.items:
            if not 0 <= (item.start.date() - self.monday).days < 7:
                continue
            rect = self.item_rect(item)
            painter.fillRect(rect, _COLORS[item.status])
            painter.setPen(QPen(CONFLICT, 2) if item.conflict else QPen(grid))
            painter.drawRect(rect)
            painter.setPen(text)
            lines = [f"{format_time(item.start)} {item.holder}", item.topic]
            inner = rect.adjusted(3, 1, -3, -1)
            shown = int(max(inner.height() // metrics.height(), 1))
            body = "\n".join(
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(inner.width()))
                for line in lines[:shown]
            )
            painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, body)
        painter.end()

    def item_at(self, point: QPointF) -> AgendaItem | None:
        for item in self.items:
            if 0 <= (item.start.date() - self.monday).days < 7 and self.item_rect(item).contains(
                point
            ):
                return item
        return None

    def slot_at(self, point: QPointF) -> datetime | None:
        if point.x() < GUTTER or point.y() < HEADER_HEIGHT:
            return None
        day = int((point.x() - GUTTER) // self._day_width())
        minutes = (point.y() - HEADER_HEIGHT) / self._hour_height() * 60
        minutes = int(minutes // SLOT_MINUTES * SLOT_MINUTES)
        start = datetime.combine(self.monday + timedelta(days=day), time(FIRST_HOUR, 0))
        return start + timedelta(minutes=minutes)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if item is not None:
            self.appointment_clicked.emit(item)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.item_at(event.position()) is None:
            slot = self.slot_at(event.position())
            if slot is not None:
                self.slot_chosen.emit(slot)
