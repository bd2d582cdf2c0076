"""Render the main pages with demo data, in French, to docs/screenshots/*.png.

Run with `make screenshots` (QT_QPA_PLATFORM=offscreen). A fixed "today" keeps the
pictures the same from one run to the next. The pages are taken at 1280 × 800, the agenda
on its busiest week of demo appointments (side by side where they overlap), the Help menu
open, and the window again at 960 × 600, half of a 1,920-pixel screen.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPoint, QStandardPaths
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMenu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor_app.i18n import set_language  # noqa: E402
from advisor_app.services import CaseFilter, Services  # noqa: E402
from advisor_app.services.demo import generate_demo  # noqa: E402
from advisor_app.ui.app import application, open_window  # noqa: E402
from advisor_app.ui.main_window import MainWindow  # noqa: E402
from advisor_app.ui.pages.agenda_week import side_by_side  # noqa: E402

TODAY = datetime(2026, 3, 12, 10, 0)
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)
HALF_SCREEN = (960, 600)


def settle() -> None:
    for _round in range(3):
        QCoreApplication.processEvents()


def ready(window: MainWindow) -> None:
    """What the pages read in the background (the dashboard's figures, the report's case
    chooser) read and shown."""
    for _round in range(3):
        settle()
        window.session.tasks.wait()
    settle()


def save(window: MainWindow, name: str) -> None:
    ready(window)
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))


def save_with_menu(window: MainWindow, menu: QMenu, name: str) -> None:
    """The window with `menu` dropped down under its title, as the advisor sees it open (a
    menu is a window of its own: drawn onto the picture of the main window)."""
    ready(window)
    bar = window.menuBar()
    bar.setActiveAction(menu.menuAction())  # its title drawn as pressed
    settle()
    picture = window.grab()
    corner = bar.mapTo(window, bar.actionGeometry(menu.menuAction()).bottomLeft())
    menu.adjustSize()
    painter = QPainter(picture)
    painter.drawPixmap(corner + QPoint(0, 1), menu.grab())
    painter.end()
    menu.hide()
    bar.setActiveAction(None)  # type: ignore[arg-type]
    path = OUT / f"{name}.png"
    picture.save(str(path))
    print(path.relative_to(ROOT))


def busiest_week(services: Services) -> date:
    """The Monday, within two months of today, of the busiest week among those that draw
    appointments side by side."""
    today = TODAY.date()
    first_monday = today - timedelta(days=today.weekday())
    best, best_score = first_monday, (-1, -1)
    for weeks in range(-8, 9):
        monday = first_monday + timedelta(weeks=weeks)
        items = services.agenda.week_of(monday)
        beside = 0
        for day in range(7):
            spans = [
                (item.start, item.end)
                for item in items
                if item.start.date() == monday + timedelta(days=day)
            ]
            beside += sum(1 for place in side_by_side(spans) if place.columns > 1)
        score = (min(beside, 2), len(items))  # some side by side, then the busiest
        if score > best_score:
            best, best_score = monday, score
    return best


def main() -> int:
    app = application()
    QStandardPaths.setTestModeEnabled(True)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="boussole-shots-") as folder:
        services = Services.open(Path(folder) / "workspace", clock=lambda: TODAY)
        services.settings.set("advisor_name", "Camille Martin")
        services.settings.set("organisation", "BGE Vallée")
        for _step in generate_demo(services, 60, 1):
            pass
        services.settings.set("language", "fr")
        set_language("fr")
        window = open_window(services)
        window.resize(*SIZE)
        window.show()
        window.show_page("dashboard")
        save(window, "dashboard")
        window.show_page("holders")
        save(window, "holders")
        case = pick_case(services)
        view = window.open_case(case)
        view.show_page("Pathway")
        save(window, "case-pathway")
        view.show_page("Appointments")
        save(window, "case-appointments")
        view.show_page("Financing")
        save(window, "case-financing")
        view.show_page("Identity")
        save(window, "case-identity")
        window.show_page("reports")
        window.reports.prepare(case, "committee")
        save(window, "reports")
        window.show_page("agenda")
        window.agenda.monday = busiest_week(services)
        window.agenda.refresh()
        save(window, "agenda")
        window.show_page("settings")
        save(window, "settings")
        window.show_page("dashboard")
        save_with_menu(window, window.help_menu, "help-menu")
        window.resize(*HALF_SCREEN)
        for page in ("holders", "agenda"):
            window.show_page(page)
            save(window, f"half-screen-{page}")
        window.open_case(case)
        view.show_page("Appointments")
        save(window, "half-screen-case-appointments")
        view.show_page("Financing")
        save(window, "half-screen-case-financing")
        window.close()
        window.session.tasks.wait()
        services.close()
    del app
    return 0


def pick_case(services: Services) -> str:
    """A case with appointments, a financing plan and some milestones done."""
    best, best_score = None, -1
    for row in services.search.cases(CaseFilter(limit=40)):
        if row.damaged:
            continue
        detail = services.cases.get(row.case_id)
        score = (
            min(len(detail.appointments), 6)
            + 2 * min(len(detail.plan.lines), 4)
            + min(sum(1 for m in detail.milestones if m.done_on), 6)
            + (3 if any(m.late for m in detail.milestones) else 0)
            + 2 * min(len(detail.funding), 2)
        )
        if score > best_score:
            best, best_score = row.case_id, score
    assert best is not None
    return best


if __name__ == "__main__":
    raise SystemExit(main())
