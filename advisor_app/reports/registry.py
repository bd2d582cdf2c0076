"""The reports Boussole can print, declared once: the CLI and the Reports page list them."""

from __future__ import annotations

from dataclasses import dataclass

from advisor_app.domain.errors import NotFoundError
from advisor_app.domain.messages import N_


@dataclass(frozen=True)
class ReportKind:
    """One kind of report and what must be chosen to print it (titles are message ids)."""

    key: str
    title: str
    description: str
    needs_case: bool = False
    needs_period: bool = False
    can_choose_funding: bool = False
    can_protect: bool = False
    can_choose_scope: bool = False  # the advisor's own cases, or the team's shared ones too


PROGRESS = ReportKind(
    "progress",
    N_("Progress report"),
    N_("The person and the project, the pathway, appointments and hours, funding, next steps."),
    needs_case=True,
)
COMMITTEE = ReportKind(
    "committee",
    N_("Committee file"),
    N_("The project for a funder's committee: financing plan, forecast, break-even, opinion."),
    needs_case=True,
    can_choose_funding=True,
    can_protect=True,
)
ACTIVITY = ReportKind(
    "activity",
    N_("Activity report"),
    N_("What the organisation did over a period, over all cases, with charts."),
    needs_period=True,
    can_choose_scope=True,
)
ATTENDANCE = ReportKind(
    "attendance",
    N_("Attendance sheet"),
    N_("One line per appointment done in a period, with signature boxes."),
    needs_case=True,
    needs_period=True,
)

REPORT_KINDS: tuple[ReportKind, ...] = (PROGRESS, COMMITTEE, ACTIVITY, ATTENDANCE)


def report_kind(key: str) -> ReportKind:
    for kind in REPORT_KINDS:
        if kind.key == key:
            return kind
    raise NotFoundError(N_("There is no report “{key}”."), key=key)
