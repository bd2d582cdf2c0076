"""Printing reports: the one API the CLI and the Reports page call to write a PDF."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advisor_app.domain.activity import ActivityFigures, Period
from advisor_app.domain.enums import CaseScope
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import current_language, resolve_language
from advisor_app.reports import (
    REPORT_KINDS,
    PageFrame,
    ReportKind,
    report_kind,
    write_activity_report,
    write_attendance_sheet,
    write_committee_file,
    write_progress_report,
)
from advisor_app.services.activity import ActivityService
from advisor_app.services.document_names import document_name, person_for_file, unused_path
from advisor_app.services.settings import SettingsService
from advisor_app.storage.workspace import Progress

if TYPE_CHECKING:
    from advisor_app.services import Services


@dataclass(frozen=True)
class ReportRequest:
    """What the advisor chose for one report; which fields matter depends on its kind."""

    kind: str
    case_id: str | None = None
    first: date | None = None
    last: date | None = None
    funding_id: str | None = None
    password: str | None = None
    language: str | None = None
    scope: CaseScope = CaseScope.MINE  # the activity report's cases (team mode)


PASSWORD_MIN_LENGTH = 12


def check_password(password: str) -> None:
    """A password worth the name for a file that travels by e-mail and can be attacked
    offline: at least 12 characters (AES-256, PDF revision 6, takes any Unicode text)."""
    if len(password.strip()) < PASSWORD_MIN_LENGTH:
        raise ValidationError(
            "password",
            N_("The password is too short: it needs at least {minimum} characters."),
            N_("A short sentence is easier to remember than a jumble of signs."),
            minimum=PASSWORD_MIN_LENGTH,
        )


def page_frame(settings: SettingsService, now: datetime, language: str | None) -> PageFrame:
    """What every page of a report carries: organisation, advisor, printing time, language
    (the one asked for, else the application's)."""
    return PageFrame(
        organisation=str(settings.get("organisation") or ""),
        advisor=settings.advisor_name,
        printed_at=now,
        language=resolve_language(language) if language else current_language(),
    )


class ReportService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.activity_figures = ActivityService(services.context)

    @staticmethod
    def kinds() -> tuple[ReportKind, ...]:
        return REPORT_KINDS

    def frame(self, language: str | None = None) -> PageFrame:
        return page_frame(self.services.settings, self.services.context.now(), language)

    def progress(self, case_id: str, path: Path, language: str | None = None) -> Path:
        case = self.services.cases.get(case_id)
        return write_progress_report(case, path, self.frame(language))

    def committee(
        self,
        case_id: str,
        path: Path,
        language: str | None = None,
        funding_id: str | None = None,
        password: str | None = None,
    ) -> Path:
        case = self.services.cases.get(case_id)
        if funding_id is not None and all(f.id != funding_id for f in case.funding):
            raise NotFoundError(
                N_("This case has no funding request {funding_id}."), funding_id=funding_id
            )
        if password is not None:
            check_password(password)
        return write_committee_file(case, path, self.frame(language), funding_id, password)

    def activity(
        self,
        first: date,
        last: date,
        path: Path,
        language: str | None = None,
        scope: CaseScope = CaseScope.MINE,
    ) -> Path:
        """The activity report over the cases of `scope`, saying which when the workspace
        shares cases with a team."""
        covering = scope if self.services.search.has_shared_cases() else None
        figures = self.figures(first, last, scope)
        return write_activity_report(figures, path, self.frame(language), covering)

    def figures(
        self, first: date, last: date, scope: CaseScope = CaseScope.MINE
    ) -> ActivityFigures:
        return self.activity_figures.figures(Period(first, last), scope=scope)

    def attendance(
        self, case_id: str, first: date, last: date, path: Path, language: str | None = None
    ) -> Path:
        period = Period(first, last)
        case = self.services.cases.get(case_id)
        return write_attendance_sheet(case, period, path, self.frame(language))

    def render(self, request: ReportRequest, path: Path) -> Path:
        """Print the report `request` asks for (as the Reports page does, from its choices)."""
        kind = report_kind(request.kind)
        case_id = request.case_id or ""
        if kind.needs_case and not case_id:
            raise ValidationError("case", N_("Choose the case to print."))
        if kind.needs_period and (request.first is None or request.last is None):
            raise ValidationError("period", N_("Choose the first and last days of the period."))
        first, last = request.first or date.min, request.last or date.max
        if kind.key == "progress":
            return self.progress(case_id, path, request.language)
        if kind.key == "committee":
            return self.committee(
                case_id, path, request.language, request.funding_id, request.password
            )
        if kind.key == "activity":
            return self.activity(first, last, path, request.language, request.scope)
        if kind.key == "attendance":
            return self.attendance(case_id, first, last, path, request.language)
        raise NotImplementedError(f"no printer for the registered report {kind.key!r}")

    def file_name(self, request: ReportRequest) -> str:
        """The name proposed for the file of `request`: the document, the person and the day
        ("Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf"), in the report's language; the
        period instead of a person for the activity report."""
        kind = report_kind(request.kind)
        language = resolve_language(request.language) if request.language else current_language()
        person = ""
        if kind.needs_case and request.case_id:
            found = self.services.cases.get(request.case_id).person
            person = person_for_file(found.first_name, found.last_name)
        period = None
        if kind.needs_period and request.first is not None and request.last is not None:
            period = (request.first, request.last)
        return document_name(
            kind.key, language, person=person, day=self.services.context.today(), period=period
        )

    def render_into(self, request: ReportRequest, folder: Path) -> Path:
        """Print `request` into `folder` under its proposed name (`file_name`), as " (2)"...
        when a file of that name is there already: nothing is replaced."""
        return self.render(request, unused_path(folder, self.file_name(request)))

    def progress_batch(
        self, case_ids: Sequence[str], folder: Path, language: str | None = None
    ) -> Iterator[Progress]:
        """Progress reports of many cases into `folder`, one file per case named after the
        person (two people of the same name get " (2)"), yielding progress."""
        total = len(case_ids)
        for done, case_id in enumerate(case_ids, start=1):
            self.render_into(ReportRequest("progress", case_id, language=language), folder)
            yield Progress(done, total)


# The UI and the CLI reach the reports' registry through this module (see DESIGN.md layers).
__all__ = [
    "PASSWORD_MIN_LENGTH",
    "REPORT_KINDS",
    "ReportKind",
    "ReportRequest",
    "ReportService",
    "check_password",
    "page_frame",
    "report_kind",
]
