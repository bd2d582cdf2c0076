"""The agenda lists the appointments of any range of days the advisor chooses."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate

from advisor_app.services import AppointmentDraft, NewCase
from advisor_app.ui.main_window import MainWindow


def test_the_list_shows_the_chosen_range_of_days(window: MainWindow) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Yasmina", "Benali"))
    for day in (date(2026, 12, 1), date(2027, 2, 15), date(2027, 6, 1)):
        services.appointments.add(
            case_id,
            AppointmentDraft(datetime.combine(day, datetime.min.time()).replace(hour=10), 60),
        )
    window.show_page("agenda")
    agenda = window.agenda
    agenda.as_list.setChecked(True)
    assert agenda.range_first.isVisible() and not agenda.next.isVisible()
    agenda.range_first.setDate(QDate(2026, 11, 30))
    agenda.range_last.setDate(QDate(2027, 3, 1))
    assert agenda.list_range() == (date(2026, 11, 30), date(2027, 3, 1))
    assert agenda.table.rowCount() == 2
    agenda.range_last.setDate(QDate(2027, 12, 31))
    assert agenda.table.rowCount() == 3
    agenda.as_list.setChecked(False)
    assert agenda.next.isVisible() and not agenda.range_first.isVisible()
