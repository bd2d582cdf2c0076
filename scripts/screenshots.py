"""Render the main pages with demo data, in French, to docs/screenshots/*.png.

Run with `make screenshots` (QT_QPA_PLATFORM=offscreen). A fixed "today" keeps the
pictures the same from one run to the next.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor_app.i18n import set_language  # noqa: E402
from advisor_app.services import CaseFilter, Services  # noqa: E402
from advisor_app.services.demo import generate_demo  # noqa: E402
from advisor_app.ui.app import application, open_window  # noqa: E402
from advisor_app.ui.main_window import MainWindow  # noqa: E402

TODAY = datetime(2026, 3, 12, 10, 0)
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)


def settle() -> None:
    for _round in range(3):
        QCoreApplication.processEvents()


def save(window: MainWindow, name: str) -> None:
    settle()
    path = OUT / f"{name}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))


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
        save(window, "agenda")
        window.show_page("settings")
        save(window, "settings")
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
