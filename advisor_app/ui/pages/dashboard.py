"""Dashboard: active cases, this week, late milestones, hours per month, cases by stage.

The figures are read off the interface thread (`session.tasks`): a quiet "…" stands in the
tiles until the first ones come back, and an answer older than the last one asked for is
dropped. Every view of an hour writes it the same way (`format_duration`): the tiles, the
chart's values and its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _, format_date, format_duration, format_number, ngettext
from advisor_app.services import Changes
from advisor_app.services.context import pathway_template
from advisor_app.services.views import DashboardFigures, LateCase
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.bar_chart import BarChart

PENDING = "…"  # in a tile until its figure is read


class FigureValue(QLabel):
    """A figure in large type, made smaller rather than cut when its tile is narrow: the
    tile says "115 h 45" whole, as the chart does, never "115 h"."""

    LARGEST = 22.0
    SMALLEST = 9.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PENDING, parent)
        self.setObjectName("figure")
        font = self.font()
        font.setWeight(QFont.Weight.DemiBold)
        font.setPointSizeF(self.LARGEST)
        self.setFont(font)
        # its width is the tile's: the figure adapts to it, never the reverse
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(QFontMetrics(font).height())

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self.font())
        size = self.LARGEST
        room = self.contentsRect().width()
        while size > self.SMALLEST:
            font.setPointSizeF(size)
            if QFontMetrics(font).horizontalAdvance(self.text()) <= room:
                break
            size -= 1
        font.setPointSizeF(size)
        if font.pointSizeF() != self.font().pointSizeF():
            self.setFont(font)


class FigureTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = FigureValue()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


def stage_label(key: str | None) -> str:
    if key is None:
        return _("Not started")
    labels = {m.key: m.label for m in pathway_template().milestones}
    return _(labels[key]) if key in labels else _("Other stage")


class DashboardPage(QWidget):
    figures_shown = Signal()  # new figures are on screen

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.figures: DashboardFigures | None = None
        self._stale = True
        self._shown = 0  # the number of the reading shown
        self._asked = 0  # the number of the last reading asked for: older answers are dropped
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.active = FigureTile()
        self.week = FigureTile()
        self.month_hours = FigureTile()
        self.year_hours = FigureTile()
        self.late_box = QGroupBox()
        self.late_list = QListWidget()
        self.late_list.setWordWrap(True)
        self.late_list.setAlternatingRowColors(True)  # a line wrapped still reads as one
        QVBoxLayout(self.late_box).addWidget(self.late_list)
        self.hours_box = QGroupBox()
        self.hours_chart = BarChart()
        QVBoxLayout(self.hours_box).addWidget(self.hours_chart)
        self.stage_box = QGroupBox()
        self.stage_chart = BarChart(horizontal=True)
        self.stage_chart.color = QColor("#6b8f2f")
        QVBoxLayout(self.stage_box).addWidget(self.stage_chart)

        grid = QGridLayout()
        for column, tile in enumerate((self.active, self.week, self.month_hours, self.year_hours)):
            grid.addWidget(tile, 0, column)
        grid.addWidget(self.hours_box, 1, 0, 1, 2)
        grid.addWidget(self.late_box, 1, 2, 2, 2)
        grid.addWidget(self.stage_box, 2, 0, 1, 2)
        # the chart's twelve months wider than the late list; no tile narrower than its
        # figure in a readable size, whatever the figures
        for column, stretch in enumerate((3, 3, 2, 2)):
            grid.setColumnStretch(column, stretch)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid, 1)
        self.late_list.itemActivated.connect(self._open_late)
        self.late_list.itemDoubleClicked.connect(self._open_late)
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Dashboard"))
        self.active.caption.setText(_("Active cases"))
        self.week.caption.setText(_("Appointments this week"))
        self.month_hours.caption.setText(_("Hours of accompaniment this month"))
        self.year_hours.caption.setText(_("Hours of accompaniment this year"))
        self.late_box.setTitle(_("Late milestones"))
        self.hours_box.setTitle(_("Hours of accompaniment per month"))
        self.stage_box.setTitle(_("Active cases by stage"))
        self.late_list.setAccessibleName(_("Late milestones"))
        self.hours_chart.setAccessibleName(_("Hours of accompaniment per month"))
        self.stage_chart.setAccessibleName(_("Active cases by stage"))
        if self.figures is not None:
            self.show_figures(self.figures)  # the same figures, in the new language

    def refresh(self) -> None:
        """Read the figures off the interface thread; they are shown when they come back,
        unless another reading was asked for meanwhile."""
        self._stale = False
        self._asked += 1
        asked = self._asked
        figures = self.session.services.dashboard.figures

        def arrived(result: object) -> None:
            if asked == self._asked and isinstance(result, DashboardFigures):
                self._shown = asked
                self.show_figures(result)

        self.session.tasks.read(figures, arrived)

    @property
    def loading(self) -> bool:
        """Figures were asked for and have not come back yet."""
        return self._shown != self._asked

    def show_figures(self, figures: DashboardFigures) -> None:
        self.figures = figures
        self.active.value.setText(format_number(figures.active_cases))
        self.week.value.setText(format_number(figures.appointments_this_week))
        self.month_hours.value.setText(format_duration(figures.hours_this_month_minutes))
        self.year_hours.value.setText(format_duration(figures.hours_this_year_minutes))
        self.late_list.clear()
        for late in figures.late_cases:
            item = QListWidgetItem(late_line(late))
            item.setToolTip(
                _("Oldest: {milestone}, planned {date}. Double-click to open the pathway.").format(
                    milestone=_(late.oldest_label), date=format_date(late.oldest_on)
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, late.case_id)
            self.late_list.addItem(item)
        if figures.late_more:  # the list stops at the longest late: the others counted
            more = QListWidgetItem(
                ngettext(
                    "… and {count} more person", "… and {count} more people", figures.late_more
                ).format(count=format_number(figures.late_more))
            )
            more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.late_list.addItem(more)
        if not figures.late_cases:
            self.late_list.addItem(QListWidgetItem(_("Nothing is late.")))
        # The same words as the figures above: "105 h 15", never a rounded "105,2 h".
        self.hours_chart.set_bars(
            [
                (format_date(month, "MMM"), minutes, format_duration(minutes) if minutes else "")
                for month, minutes in figures.minutes_by_month
            ]
        )
        self.hours_chart.setToolTip(
            "\n".join(
                f"{format_date(month, 'MMMM y')}: {format_duration(minutes)}"
                for month, minutes in figures.minutes_by_month
            )
        )
        self.hours_chart.setAccessibleDescription(self.hours_chart.toolTip())
        self.stage_chart.set_bars(
            [
                (stage_label(key), count, format_number(count))
                for key, count in figures.cases_by_stage
            ]
        )
        self.stage_chart.setToolTip(
            "\n".join(f"{stage_label(k)}: {format_number(c)}" for k, c in figures.cases_by_stage)
        )
        self.stage_chart.setAccessibleDescription(self.stage_chart.toolTip())
        self.figures_shown.emit()

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_list or changes.agenda:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: object) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def _open_late(self, item: QListWidgetItem) -> None:
        """Double-click or Enter: the person's case, on its pathway, where the late
        milestones are."""
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.session.open_case(case_id, "Pathway")


def late_line(late: LateCase) -> str:
    """ "Amélie Dupré-Lefèvre: 3 milestones late, since 4 March 2025" """
    return ngettext(
        "{holder}: {count} milestone late, since {date}",
        "{holder}: {count} milestones late, since {date}",
        late.count,
    ).format(holder=late.holder, count=format_number(late.count), date=format_date(late.oldest_on))
