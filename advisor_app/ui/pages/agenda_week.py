"""The week grid of the agenda: days in columns, hours in rows, appointments as blocks.

Appointments that overlap share their day side by side, as in a desktop calendar: each
cluster of overlapping appointments is split into columns (`side_by_side`), and a block
spreads over the columns to its right that are free for its whole length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QToolTip, QWidget

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.i18n import _, format_date, format_duration, format_time, label
from advisor_app.services.views import AgendaItem

FIRST_HOUR, LAST_HOUR = 8, 18  # shown at least; a week with earlier or later ones shows more
HEADER_HEIGHT = 30
GUTTER = 48  # at least: as wide as the hours need
SLOT_MINUTES = 30
NARROWEST = 36  # pixels: a narrower block cannot be read
SHORTEST = timedelta(minutes=15)  # a shorter appointment is drawn (and laid out) this long
# a crowded week (a thousand appointments) is drawn a slice at a time into a picture kept
# until the week, the size or the look changes: no slice holds the window longer than this
SLICE_MS = 20

_COLORS = {
    AppointmentStatus.PLANNED: QColor("#cfe3ef"),
    AppointmentStatus.DONE: QColor("#d6ecd2"),
    AppointmentStatus.CANCELLED: QColor("#f1f1f1"),
    AppointmentStatus.NO_SHOW: QColor("#f6dede"),
}
_TEXT = QColor("#1d1d1d")  # on the light blocks, whatever the palette
_FADED = QColor("#6b6b6b")  # the text of a cancelled appointment
CONFLICT = QColor("#c62828")
TODAY = QColor("#fff6d6")


@dataclass(frozen=True)
class Placement:
    """Where a block goes across its day: from `column` over `span` of `columns` columns."""

    column: int
    span: int
    columns: int


def side_by_side(spans: Sequence[tuple[datetime, datetime]]) -> list[Placement]:
    """The placement of each (start, end) of one day, in the order given.

    Appointments that overlap, directly or through others, form a cluster, split into as
    many columns as the most that overlap at once; each goes into the first column free at
    its start, then spreads right over the columns free for its whole length. One that
    overlaps nothing takes the full width. Back to back is no overlap.
    """
    placements: list[Placement | None] = [None] * len(spans)
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][0] - spans[i][1]))
    cluster: list[int] = []
    column_of: dict[int, int] = {}
    column_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close_cluster() -> None:
        in_column: list[list[int]] = [[] for _column in column_ends]
        for index in cluster:
            in_column[column_of[index]].append(index)
        for index in cluster:
            start, end = spans[index]
            span = 1
            for others in in_column[column_of[index] + 1 :]:
                if any(spans[o][0] < end and start < spans[o][1] for o in others):
                    break
                span += 1
            placements[index] = Placement(column_of[index], span, len(column_ends))

    for index in order:
        start, end = spans[index]
        if cluster_end is not None and start >= cluster_end:
            close_cluster()
            cluster, column_ends, cluster_end = [], [], None
        for column, column_end in enumerate(column_ends):
            if column_end <= start:
                column_ends[column] = end
                column_of[index] = column
                break
        else:
            column_ends.append(end)
            column_of[index] = len(column_ends) - 1
        cluster.append(index)
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close_cluster()
    return [p if p is not None else Placement(0, 1, 1) for p in placements]


def describe_appointment(item: AgendaItem, referent: bool = False) -> str:
    """The tooltip of a block: who, when, how long, how, about what, and where it stands;
    in team mode (`referent`), whose case it is."""
    when = _("{day}, {start} – {end} ({duration})").format(
        day=format_date(item.start.date(), "full"),
        start=format_time(item.start),
        end=format_time(item.end),
        duration=format_duration(item.minutes),
    )
    how = label(item.mode) + (f" – {item.place}" if item.place else "")
    lines = [item.holder, when, how]
    if referent and item.advisor:
        lines.insert(1, _("Lead advisor: {name}").format(name=item.advisor))
    if item.topic:
        lines.append(_("Topic: {topic}").format(topic=item.topic))
    status = label(item.status)
    if item.conflict:
        status = _("{status} – overlaps another appointment").format(status=status)
    lines.append(status)
    return "\n".join(lines)


def block_lines(
    item: AgendaItem, rows: int, width: int, advance: Callable[[str], int], covered: bool = False
) -> list[str]:
    """The lines written in a block `rows` lines high and `width` wide (`advance`: the
    width of a text): the time and the person first, the topic if there is room. In a
    narrow block the name goes under the time, over two lines if it needs them; in a block
    `covered` by the next ones (a crowded day) the name comes first, as its first line may
    be all that shows."""
    starts = format_time(item.start)
    together = f"{starts} {item.holder}"
    if covered and advance(together) > width:
        return [item.holder, starts, item.topic][:rows]
    if advance(together) <= width or rows == 1:
        return [together, item.topic][:rows]
    lines = [starts] if advance(starts) <= width else []
    name_rows = 2 if rows - len(lines) >= 2 and advance(item.holder) > width else 1
    words = item.holder.split()
    name: list[str] = []
    for word in words:
        if name and len(name) < name_rows and advance(f"{name[-1]} {word}") > width:
            name.append(word)
        elif name:
            name[-1] = f"{name[-1]} {word}"
        else:
            name.append(word)
    lines += name
    lines.append(item.topic)
    return [line for line in lines if line][:rows]


def shown_end(item: AgendaItem) -> datetime:
    """Where the block of `item` ends: SHORTEST at least, midnight at most."""
    end = max(item.end, item.start + SHORTEST)
    midnight = datetime.combine(item.start.date() + timedelta(days=1), time.min)
    return min(end, midnight)


@dataclass(frozen=True)
class WeekLayout:
    """The appointments of a week in the order they are drawn, side by side where they
    overlap, and the hours the grid shows: work for any thread (no Qt in it)."""

    monday: date
    items: list[AgendaItem]
    placements: dict[str, Placement]
    first_hour: int
    last_hour: int


def week_layout(monday: date, items: Sequence[AgendaItem]) -> WeekLayout:
    """Lay out the appointments of the week of `monday` among `items`."""
    shown = [i for i in items if 0 <= (i.start.date() - monday).days < 7]
    shown.sort(key=lambda i: (i.start, i.holder))
    placements: dict[str, Placement] = {}
    for day in range(7):
        of_day = [i for i in shown if (i.start.date() - monday).days == day]
        spans = [(i.start, shown_end(i)) for i in of_day]
        for item, placement in zip(of_day, side_by_side(spans), strict=True):
            placements[item.appointment_id] = placement
    # drawn in this order, each over the ones before: by start, then column
    shown.sort(key=lambda i: (i.start, placements[i.appointment_id].column))
    ends = [shown_end(i) for i in shown]
    first_hour = min([FIRST_HOUR, *[i.start.hour for i in shown]])
    last_hour = max(
        [
            LAST_HOUR,
            *[
                24 if e.date() > i.start.date() else e.hour + (e.minute > 0)
                for i, e in zip(shown, ends, strict=True)
            ],
        ]
    )
    return WeekLayout(monday, shown, placements, first_hour, last_hour)


class WeekGrid(QWidget):
    """Click an appointment to select it; double-click it or press Enter: `appointment_opened`;
    double-click a free slot: `slot_chosen`. The arrow keys go from one appointment to the next.
    """

    appointment_opened = Signal(object)
    slot_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monday = date.today() - timedelta(days=date.today().weekday())
        self.today = date.today()
        self.items: list[AgendaItem] = []
        self.placements: dict[str, Placement] = {}
        self.selected: AgendaItem | None = None
        self.referents = False  # team mode: the tooltips name each case's référent
        self.first_hour, self.last_hour = FIRST_HOUR, LAST_HOUR
        self._rects: dict[str, QRectF] = {}  # each block's place, for `_rects_for`
        self._rects_for: tuple[int, int] = (-1, -1)
        self._blocks: QPixmap | None = None  # the blocks drawn so far, over a clear ground
        self._blocks_drawn = 0
        self._block_room = 0.0  # a day's width, for `_rects_for`
        self._next_slice = QTimer(self)  # the blocks left to draw, after what waits
        self._next_slice.setSingleShot(True)
        self._next_slice.setInterval(0)
        self._next_slice.timeout.connect(self.update)
        self.setMinimumSize(GUTTER + 7 * 44, HEADER_HEIGHT + 10 * 24)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(700, 480)

    def show_week(
        self, monday: date, today: date, items: list[AgendaItem], laid: WeekLayout | None = None
    ) -> None:
        """Show the week of `monday`: `items` as `week_layout` lays them out (`laid`, when
        it was done off the interface thread for a crowded week)."""
        laid = laid if laid is not None and laid.monday == monday else week_layout(monday, items)
        self.monday, self.today = monday, today
        self.items, self.placements = laid.items, laid.placements
        self.first_hour, self.last_hour = laid.first_hour, laid.last_hour
        self._forget_drawing()
        kept = self.selected.appointment_id if self.selected else None
        self.selected = next((i for i in self.items if i.appointment_id == kept), None)
        self._describe_selection()
        self.update()

    @staticmethod
    def _shown_end(item: AgendaItem) -> datetime:
        return shown_end(item)

    # -- geometry --------------------------------------------------------------------------

    def _day_width(self) -> float:
        return (self.width() - self._gutter()) / 7

    def _gutter(self) -> int:
        hours = self.fontMetrics().horizontalAdvance(format_time(time(23, 0)))
        return max(GUTTER, hours + 10)

    def _hour_height(self) -> float:
        return (self.height() - HEADER_HEIGHT) / (self.last_hour - self.first_hour)

    def _y(self, moment: datetime) -> float:
        hours = (moment - datetime.combine(moment.date(), time.min)).total_seconds() / 3600
        hours = min(max(hours - self.first_hour, 0), self.last_hour - self.first_hour)
        return HEADER_HEIGHT + hours * self._hour_height()

    def _placement(self, item: AgendaItem) -> Placement:
        return self.placements.get(item.appointment_id, Placement(0, 1, 1))

    @property
    def drawn_whole(self) -> bool:
        """Every block of the week is in the picture kept (a crowded week takes a few
        slices)."""
        return self._blocks is not None and self._blocks_drawn >= len(self.items)

    def _forget_drawing(self) -> None:
        self._rects, self._rects_for = {}, (-1, -1)
        self._blocks = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._forget_drawing()
        super().changeEvent(event)

    def item_rect(self, item: AgendaItem) -> QRectF:
        """Where the block of `item` is drawn (all of them placed once for a size)."""
        if self._rects_for != (self.width(), self.height()):
            self._place_blocks()
        rect = self._rects.get(item.appointment_id)
        return QRectF(rect) if rect is not None else self._item_rect(item, self._day_width())

    def _place_blocks(self) -> None:
        self._rects_for = (self.width(), self.height())
        self._blocks = None
        day_width = self._block_room = self._day_width()
        self._rects = {item.appointment_id: self._item_rect(item, day_width) for item in self.items}

    def _item_rect(self, item: AgendaItem, day_width: float) -> QRectF:
        day = (item.start.date() - self.monday).days
        placement = self._placement(item)
        room = day_width - 4
        share = room / placement.columns
        offset, width = placement.column * share, share * placement.span
        if share < NARROWEST and placement.columns > 1:
            # too many side by side to read: cascaded, each over the one before, as wide
            # as a block can be read; the earlier ones keep their first line and a strip
            width = min(max(NARROWEST, room * 0.7), room)
            step = (room - width) / (placement.columns - 1)
            offset, width = placement.column * step, width + step * (placement.span - 1)
        left = self.width() - 7 * day_width + day * day_width + 2 + offset
        top = self._y(item.start)
        end = self._shown_end(item)
        bottom = self._y(end) if end.date() == item.start.date() else float(self.height() - 1)
        return QRectF(left, top, width - 1, max(bottom - top, 6) - 1)

    def item_at(self, point: QPointF) -> AgendaItem | None:
        for item in reversed(self.items):
            if self.item_rect(item).contains(point):
                return item
        return None

    def slot_at(self, point: QPointF) -> datetime | None:
        if point.x() < self._gutter() or point.y() < HEADER_HEIGHT:
            return None
        day = min(int((point.x() - self._gutter()) // self._day_width()), 6)
        minutes = (point.y() - HEADER_HEIGHT) / self._hour_height() * 60
        minutes = int(minutes // SLOT_MINUTES * SLOT_MINUTES)
        start = datetime.combine(self.monday + timedelta(days=day), time(self.first_hour, 0))
        return start + timedelta(minutes=minutes)

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        width = self._day_width()
        gutter = self._gutter()
        metrics = painter.fontMetrics()
        header_format = "EEE d MMM"
        longest = max(
            metrics.horizontalAdvance(format_date(self.monday + timedelta(days=d), header_format))
            for d in range(7)
        )
        if longest > width - 6:
            header_format = "EEE d"
        for day in range(7):
            left = gutter + day * width
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
                format_date(current, header_format),
            )
        font = painter.font()
        font.setBold(False)
        painter.setFont(font)
        for hour in range(self.first_hour, self.last_hour + 1):
            y = HEADER_HEIGHT + (hour - self.first_hour) * self._hour_height()
            y = min(y, self.height() - 1)
            painter.setPen(grid)
            painter.drawLine(QPointF(gutter, y), QPointF(self.width(), y))
            if hour < self.last_hour:
                painter.setPen(text)
                painter.drawText(
                    QRectF(0, y - 2, gutter - 6, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    format_time(time(hour, 0)),
                )
        painter.setPen(grid)
        for day in range(8):
            x = gutter + day * width
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        small = QFont(painter.font())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        self._draw_blocks(small, grid)
        if self._blocks is not None:
            painter.drawPixmap(0, 0, self._blocks)
        if self.selected is not None and self.selected in self.items:
            painter.setFont(small)
            self._draw_block(painter, self.selected, grid, small, selected=True)  # on top
        painter.end()

    def _draw_blocks(self, font: QFont, grid: QColor) -> None:
        """Draw into the kept picture the blocks not drawn yet, for SLICE_MS at most; the
        next slice is asked for when some are left."""
        if self._rects_for != (self.width(), self.height()):
            self._place_blocks()
        ratio = self.devicePixelRatioF()
        if self._blocks is None:
            self._blocks = QPixmap(self.size() * ratio)
            self._blocks.setDevicePixelRatio(ratio)
            self._blocks.fill(Qt.GlobalColor.transparent)
            self._blocks_drawn = 0
        if self._blocks_drawn >= len(self.items):
            return
        clock = QElapsedTimer()
        clock.start()
        painter = QPainter(self._blocks)
        painter.setFont(font)
        while self._blocks_drawn < len(self.items) and clock.elapsed() < SLICE_MS:
            self._draw_block(painter, self.items[self._blocks_drawn], grid, font)
            self._blocks_drawn += 1
        painter.end()
        if self._blocks_drawn < len(self.items):
            self._next_slice.start()

    def _draw_block(
        self,
        painter: QPainter,
        item: AgendaItem,
        grid: QColor,
        base: QFont,
        *,
        selected: bool = False,
    ) -> None:
        rect = self.item_rect(item)
        cancelled = item.status is AppointmentStatus.CANCELLED
        painter.fillRect(rect, _COLORS[item.status])
        if selected:
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
        elif item.conflict:
            pen = QPen(CONFLICT, 2)
        else:
            pen = QPen(grid, 1, Qt.PenStyle.DashLine if cancelled else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.drawRect(rect)
        inner = rect.adjusted(3, 1, -2, -1)
        if inner.width() < 8:
            return
        font = QFont(base)
        font.setStrikeOut(cancelled)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        painter.setPen(_FADED if cancelled else _TEXT)
        rows = max(int(inner.height() // metrics.lineSpacing()), 1)
        covered = (self._block_room - 4) / self._placement(item).columns < NARROWEST
        lines = block_lines(item, rows, int(inner.width()), metrics.horizontalAdvance, covered)
        painter.drawText(
            inner,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            "\n".join(
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(inner.width()))
                for line in lines
            ),
        )
        painter.setFont(base)

    # -- the appointment under the pointer or the keyboard ----------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.item_at(QPointF(event.pos()))
            if item is not None:
                described = describe_appointment(item, self.referents)
                QToolTip.showText(event.globalPos(), described, self)
                return True
        return super().event(event)

    def select(self, item: AgendaItem | None) -> None:
        self.selected = item
        self._describe_selection()
        self.update()

    def _describe_selection(self) -> None:
        self.setAccessibleDescription(
            describe_appointment(self.selected) if self.selected is not None else ""
        )

    def open_selected(self) -> None:
        if self.selected is not None:
            self.appointment_opened.emit(self.selected)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.select(self.item_at(event.position()))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if item is not None:
            self.select(item)
            self.appointment_opened.emit(item)
            return
        slot = self.slot_at(event.position())
        if slot is not None:
            self.slot_chosen.emit(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.open_selected()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.items:
            self.select(self._next_in_time(1 if key == Qt.Key.Key_Down else -1))
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Left) and self.items:
            self.select(self._next_day(1 if key == Qt.Key.Key_Right else -1))
        elif key == Qt.Key.Key_Escape and self.selected is not None:
            self.select(None)
        else:
            super().keyPressEvent(event)

    def _next_in_time(self, step: int) -> AgendaItem:
        """The appointment after (or before) the one selected, in time."""
        if self.selected is None:
            return self.items[0 if step > 0 else -1]
        index = self.items.index(self.selected) + step
        return self.items[min(max(index, 0), len(self.items) - 1)]

    def _next_day(self, step: int) -> AgendaItem:
        """On the next (or previous) day that has appointments, the one nearest in the day
        to the one selected; the selection stays when there is no such day."""
        if self.selected is None:
            return self._next_in_time(step)
        chosen = self.selected
        day = chosen.start.date() + timedelta(days=step)
        while 0 <= (day - self.monday).days < 7:
            of_day = [i for i in self.items if i.start.date() == day]
            if of_day:
                moment = chosen.start.time()
                return min(
                    of_day,
                    key=lambda i: abs(
                        datetime.combine(day, i.start.time()) - datetime.combine(day, moment)
                    ),
                )
            day += timedelta(days=step)
        return chosen

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Reached with Tab: the first appointment is selected, so that the keys act at once."""
        reasons = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        if self.selected is None and self.items and event.reason() in reasons:
            self.select(self.items[0])
        super().focusInEvent(event)
