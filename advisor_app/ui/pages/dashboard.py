"""Dashboard: active cases, this week, late milestones, hours per month, cases by stage."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _, format_date, format_duration, format_number
from advisor_app.services import Changes
from advisor_app.services.context import pathway_template
from advisor_app.services.views import DashboardFigures
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.bar_chart import BarChart


class FigureTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("0")
        self.value.setObjectName("figure")
        self.value.setStyleSheet("font-size: 22pt; font-weight: 600;")
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
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.figures: DashboardFigures | None = None
        self._stale = True
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.active = FigureTile()
        self.week = FigureTile()
        self.month_hours = FigureTile()
        self.year_hours = FigureTile()
        self.late_box = QGroupBox()
        self.late_list = QListWidget()
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
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        figures = self.session.services.dashboard.figures()
        self.figures = figures
        self._stale = False
        self.active.value.setText(format_number(figures.active_cases))
        self.week.value.setText(format_number(figures.appointments_this_week))
        self.month_hours.value.setText(format_duration(figures.hours_this_month_minutes))
        self.year_hours.value.setText(format_duration(figures.hours_this_year_minutes))
        self.late_list.clear()
        for late in figures.late_milestones:
            item = QListWidgetItem(
                _("{holder}: {milestone} (planned {date})").format(
                    holder=late.holder, milestone=_(late.label), date=format_date(late.target_on)
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, late.case_id)
            self.late_list.addItem(item)
        if not figures.late_milestones:
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
        self.stage_chart.set_bars(
            [
                (stage_label(key), count, format_number(count))
                for key, count in figures.cases_by_stage
            ]
        )
        self.stage_chart.setToolTip(
            "\n".join(f"{stage_label(k)}: {format_number(c)}" for k, c in figures.cases_by_stage)
        )

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
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.session.open_case(case_id)
