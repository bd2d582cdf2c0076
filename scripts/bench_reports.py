"""PDF report figures (issue 4): a progress report and the activity report, beside bare reportlab."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_core import BENCH_DIR, FULL_SIZE, Figure, timed

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import AppointmentDraft, Services

APPOINTMENTS = 50
RUNS = 5


def busiest_case(services: Services) -> tuple[str, int]:
    """The case with the most appointments in the catalog, and how many it has."""
    with closing(sqlite3.connect(services.workspace.catalog.path)) as raw:
        row = raw.execute(
            "SELECT case_id, count(*) AS n FROM agenda_entry GROUP BY case_id ORDER BY n DESC LIMIT 1"
        ).fetchone()
    return (str(row[0]), int(row[1])) if row else ("", 0)


def whole_period(services: Services) -> tuple[date, date]:
    with closing(sqlite3.connect(services.workspace.catalog.path)) as raw:
        first, last = raw.execute(
            "SELECT (SELECT min(opened_on) FROM case_index), (SELECT max(start) FROM agenda_entry)"
        ).fetchone()
    today = services.context.today()
    return (
        date.fromisoformat(first) if first else today,
        date.fromisoformat(last[:10]) if last else today,
    )


def padded(services: Services, case_id: str, have: int) -> list[str]:
    """Add done appointments until the case has APPOINTMENTS of them; their ids, to remove them after."""
    today = services.context.today()
    ids = []
    for day in range(1, APPOINTMENTS - have + 1):
        draft = AppointmentDraft(
            start=datetime.combine(today - timedelta(days=day), datetime.min.time()).replace(
                hour=10
            ),
            minutes=90,
            topic="Prévisionnel et plan de financement",
            summary="Revue du prévisionnel sur trois ans, hypothèses de chiffre d'affaires "
            "discutées et ajustées ; le plan de financement est à compléter.",
            status=AppointmentStatus.DONE,
        )
        ids.append(services.appointments.add(case_id, draft)[0])
    return ids


def bare_pdf(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Boussole — rapport de référence")
    canvas.save()


def bench_reports(services: Services, figures: list[Figure], cases: int) -> list[str]:
    try:
        from advisor_app.services.reports import ReportService
    except ImportError as error:
        return [f"reports not available: {error}"]
    reports: Any = ReportService(services)
    case_id, have = busiest_case(services)
    if not case_id:
        return ["reports skipped: the workspace has no appointment"]
    first, last = whole_period(services)
    added = padded(services, case_id, have)
    try:
        with tempfile.TemporaryDirectory(dir=BENCH_DIR) as scratch:
            folder = Path(scratch)
            bare = [timed(lambda: bare_pdf(folder / "bare.pdf")) for _ in range(RUNS + 1)][1:]
            reports.progress(case_id, folder / "warm.pdf", "fr")
            progress = [
                timed(lambda: reports.progress(case_id, folder / "progress.pdf", "fr"))
                for _ in range(RUNS)
            ]
            pages = len(
                re.findall(rb"/Type\s*/Page\b(?!s)", (folder / "progress.pdf").read_bytes())
            )
            activity = [
                timed(lambda: reports.activity(first, last, folder / "activity.pdf", "fr"))
                for _ in range(3)
            ]
            figures_only = [timed(lambda: reports.figures(first, last)) for _ in range(3)]
    finally:
        for appointment_id in added:
            services.appointments.remove(case_id, appointment_id)
    scale = cases / FULL_SIZE
    figures.append(
        Figure(
            f"progress report, {max(have, APPOINTMENTS)} appointments",
            progress,
            budget=0.300,
            reference_name="one-page reportlab canvas",
            reference=bare,
            note=f"{len(added)} done appointments added for the run and removed after"
            + (f"; {pages} pages." if pages else "."),
        )
    )
    figures.append(
        Figure(
            f"activity report, {first} to {last}",
            activity,
            budget=5.0 * scale,
            reference_name="one-page reportlab canvas",
            reference=bare,
            note=f"of which the catalog queries (ActivityService.figures) take {sorted(figures_only)[1] * 1000:.0f} ms.",
        )
    )
    return []
