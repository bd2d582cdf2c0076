"""The list of cases as a spreadsheet, for associations that still feed a funder's sheet:
one row per case with its main fields, its hours of accompaniment and its honour loans,
read from the catalog alone (one query, no case file opened), written as .xlsx or .csv.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from advisor_app.domain.enums import (
    CaseStatus,
    FundingDecision,
    FundingKind,
    Gender,
    LabelledEnum,
    Outcome,
    Situation,
)
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.services.context import ServiceContext, pathway_template
from advisor_app.services.private_files import write_private
from advisor_app.sheets.writing import Column, ColumnKind, csv_bytes, workbook_bytes
from advisor_app.storage.catalog_models import CaseIndex, FundingIndex

SHEET_SUFFIXES = (".xlsx", ".csv")
SHEET_TITLE = N_("Cases")
_GRANTED = (FundingDecision.GRANTED.value, FundingDecision.PARTIALLY_GRANTED.value)


@dataclass(frozen=True)
class CaseSheetRow:
    """One line of the exported list, in the order of `COLUMNS`."""

    last_name: str
    first_name: str
    birth_date: date | None
    gender: Gender
    situation: Situation
    email: str
    postcode: str
    commune: str
    priority_neighbourhood: bool
    rural_area: bool
    project_title: str
    sector: str
    expected_jobs: int
    status: CaseStatus
    outcome: Outcome | None
    stage: str  # a message id (the pathway's label), "" before the first milestone
    opened_on: date | None
    closed_on: date | None
    last_contact: date | None
    done_minutes: int
    honour_loan_asked_cents: int | None
    honour_loan_granted_cents: int | None
    advisor: str
    case_id: str


COLUMNS: tuple[Column, ...] = (
    Column(N_("Last name"), width=18),
    Column(N_("First name"), width=16),
    Column(N_("Birth date"), ColumnKind.DATE, 12),
    Column(N_("Gender"), ColumnKind.LABEL, 10),
    Column(N_("Situation"), ColumnKind.LABEL, 22),
    Column(N_("E-mail"), width=26),
    Column(N_("Postcode"), width=10),
    Column(N_("Commune"), width=18),
    Column(N_("Priority neighbourhood"), ColumnKind.YES_NO, 12),
    Column(N_("Rural area"), ColumnKind.YES_NO, 10),
    Column(N_("Project"), width=30),
    Column(N_("Sector"), width=18),
    Column(N_("Jobs planned"), ColumnKind.NUMBER, 10),
    Column(N_("Status"), ColumnKind.LABEL, 10),
    Column(N_("Outcome"), ColumnKind.LABEL, 18),
    Column(N_("Stage"), ColumnKind.LABEL, 20),
    Column(N_("Opened on"), ColumnKind.DATE, 12),
    Column(N_("Closed on"), ColumnKind.DATE, 12),
    Column(N_("Last contact"), ColumnKind.DATE, 12),
    Column(N_("Hours of accompaniment"), ColumnKind.HOURS, 14),
    Column(N_("Honour loan asked"), ColumnKind.MONEY, 14),
    Column(N_("Honour loan granted"), ColumnKind.MONEY, 14),
    Column(N_("Advisor"), width=18),
    Column(N_("Case number"), width=38),
)


class SheetExportService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def rows(self, include_binned: bool = False) -> list[CaseSheetRow]:
        """Every case (binned ones if asked; damaged ones never), by name."""
        labels = {m.key: m.label for m in pathway_template().milestones}
        loans = self._honour_loans()
        query = select(CaseIndex).where(CaseIndex.damaged.is_(None))
        if not include_binned:
            query = query.where(CaseIndex.binned_at.is_(None))
        query = query.order_by(CaseIndex.last_name, CaseIndex.first_name, CaseIndex.case_id)
        with self.context.workspace.catalog.read() as catalog:
            cases = catalog.scalars(query).all()
            return [
                CaseSheetRow(
                    last_name=case.last_name,
                    first_name=case.first_name,
                    birth_date=case.birth_date,
                    gender=_member(Gender, case.gender, Gender.UNSPECIFIED),
                    situation=_member(Situation, case.situation, Situation.OTHER),
                    email=case.email,
                    postcode=case.postcode,
                    commune=case.commune,
                    priority_neighbourhood=case.priority_neighbourhood,
                    rural_area=case.rural_area,
                    project_title=case.project_title,
                    sector=case.sector,
                    expected_jobs=case.expected_jobs,
                    status=_member(CaseStatus, case.status, CaseStatus.ACTIVE),
                    outcome=_member(Outcome, case.outcome, Outcome.OTHER) if case.outcome else None,
                    stage=labels.get(case.stage or "", ""),
                    opened_on=case.opened_on,
                    closed_on=case.closed_on,
                    last_contact=case.last_contact,
                    done_minutes=case.done_minutes,
                    honour_loan_asked_cents=loans.get(case.case_id, (None, None))[0],
                    honour_loan_granted_cents=loans.get(case.case_id, (None, None))[1],
                    advisor=case.advisor,
                    case_id=case.case_id,
                )
                for case in cases
            ]

    def write(self, path: Path, include_binned: bool = False) -> int:
        """Write the list to `path` (.xlsx or .csv, by its name), for its owner only; the
        number of cases written."""
        suffix = path.suffix.lower()
        if suffix not in SHEET_SUFFIXES:
            raise AdvisorError(
                N_("Boussole writes the list of cases as .xlsx or .csv, not as {suffix}."),
                N_("Give a file name ending in .xlsx or .csv."),
                suffix=suffix or path.name,
            )
        rows = [astuple(row) for row in self.rows(include_binned)]
        data = (
            workbook_bytes(COLUMNS, rows, SHEET_TITLE)
            if suffix == ".xlsx"
            else csv_bytes(COLUMNS, rows)
        )
        write_private(path, data)
        return len(rows)

    def _honour_loans(self) -> dict[str, tuple[int | None, int | None]]:
        """Per case: the honour loans asked, and granted (None when none was granted)."""
        asked = func.sum(FundingIndex.amount_asked_cents)
        granted = func.sum(FundingIndex.amount_granted_cents).filter(
            FundingIndex.decision.in_(_GRANTED)
        )
        query = (
            select(FundingIndex.case_id, asked, granted)
            .where(FundingIndex.kind == FundingKind.HONOUR_LOAN.value)
            .group_by(FundingIndex.case_id)
        )
        with self.context.workspace.catalog.read() as catalog:
            return {
                case_id: (int(total or 0), None if given is None else int(given))
                for case_id, total, given in catalog.execute(query).all()
            }


E = TypeVar("E", bound=LabelledEnum)


def _member(kind: type[E], value: str, default: E) -> E:
    """The list member a catalog column holds; `default` for a value an older or newer
    Boussole wrote."""
    try:
        return kind(value)
    except ValueError:
        return default
