"""Funding requests, the financing plan (needs and resources) and the 3-year forecast."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from advisor_app.domain import validation
from advisor_app.domain.enums import FinancingSide, FundingDecision, FundingKind
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.financing import FORECAST_ITEMS, check_loan_terms
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.limits import check_row
from advisor_app.services.settings import SettingsService
from advisor_app.storage.case_models import FinancingLineRow, ForecastLine, FundingRequest


@dataclass(frozen=True)
class FundingDraft:
    funder: str
    kind: FundingKind
    amount_asked_cents: int
    committee_on: date | None = None
    decision: FundingDecision = FundingDecision.PENDING
    amount_granted_cents: int = 0
    # a loan's terms, None while not known: length (deferral included), deferral in
    # months, yearly rate in hundredths of a percent (250 = 2.5 %)
    term_months: int | None = None
    deferral_months: int | None = None
    annual_rate_basis_points: int | None = None

    def checked(self) -> FundingDraft:
        validation.check_required("funder", self.funder)
        check_row(FundingRequest, {"funder": self.funder, "committee_on": self.committee_on})
        validation.check_amount("amount_asked", self.amount_asked_cents)
        validation.check_amount("amount_granted", self.amount_granted_cents)
        check_loan_terms(self.term_months, self.deferral_months, self.annual_rate_basis_points)
        return self

    def terms(self) -> dict[str, int | None]:
        return {
            "term_months": self.term_months,
            "deferral_months": self.deferral_months,
            "annual_rate_basis_points": self.annual_rate_basis_points,
        }


@dataclass(frozen=True)
class PlanLineRecord:
    """A line of the financing plan as kept: what `restore_plan_line` puts back."""

    id: str
    side: FinancingSide
    label: str
    amount_cents: int
    position: int


class FundingService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings

    def add_request(self, case_id: str, draft: FundingDraft) -> tuple[str, Changes]:
        d = draft.checked()
        with self._change(case_id, "funding_added", d.funder) as session:
            row = FundingRequest(
                funder=d.funder.strip(),
                kind=FundingKind(d.kind).value,
                amount_asked_cents=d.amount_asked_cents,
                committee_on=d.committee_on,
                decision=FundingDecision(d.decision).value,
                amount_granted_cents=d.amount_granted_cents,
                **d.terms(),
            )
            session.add(row)
            session.flush()
            request_id = row.id
        return request_id, Changes.of_case(case_id)

    def update_request(self, case_id: str, request_id: str, draft: FundingDraft) -> Changes:
        d = draft.checked()
        with self._change(case_id, "funding_updated", d.funder) as session:
            row = session.get(FundingRequest, request_id)
            if row is None:
                raise NotFoundError(N_("This funding request no longer exists."))
            row.funder, row.kind = d.funder.strip(), FundingKind(d.kind).value
            row.amount_asked_cents, row.committee_on = d.amount_asked_cents, d.committee_on
            row.decision = FundingDecision(d.decision).value
            row.amount_granted_cents = d.amount_granted_cents
            for name, value in d.terms().items():
                setattr(row, name, value)
        return Changes.of_case(case_id)

    def remove_request(self, case_id: str, request_id: str) -> Changes:
        with self._change(case_id, "funding_removed", "") as session:
            session.execute(delete(FundingRequest).where(FundingRequest.id == request_id))
        return Changes.of_case(case_id)

    def restore_request(self, case_id: str, request_id: str, draft: FundingDraft) -> Changes:
        """Put back a removed funding request under its own id (the undo of `remove_request`)."""
        d = draft.checked()
        with self._change(case_id, "funding_restored", d.funder) as session:
            if session.get(FundingRequest, request_id) is None:
                session.add(
                    FundingRequest(
                        id=request_id,
                        funder=d.funder.strip(),
                        kind=FundingKind(d.kind).value,
                        amount_asked_cents=d.amount_asked_cents,
                        committee_on=d.committee_on,
                        decision=FundingDecision(d.decision).value,
                        amount_granted_cents=d.amount_granted_cents,
                        **d.terms(),
                    )
                )
        return Changes.of_case(case_id)

    def add_plan_line(
        self, case_id: str, side: FinancingSide, label: str, amount_cents: int
    ) -> tuple[str, Changes]:
        validation.check_required("label", label)
        check_row(FinancingLineRow, {"label": label.strip()})
        validation.check_amount("amount", amount_cents)
        with self._change(case_id, "plan_line_added", label) as session:
            position = session.scalar(select(func.count()).select_from(FinancingLineRow)) or 0
            row = FinancingLineRow(
                side=FinancingSide(side).value,
                label=label.strip(),
                amount_cents=amount_cents,
                position=position,
            )
            session.add(row)
            session.flush()
            line_id = row.id
        return line_id, Changes.of_case(case_id)

    def update_plan_line(
        self, case_id: str, line_id: str, label: str, amount_cents: int
    ) -> Changes:
        validation.check_required("label", label)
        check_row(FinancingLineRow, {"label": label.strip()})
        validation.check_amount("amount", amount_cents)
        with self._change(case_id, "plan_line_updated", label) as session:
            row = session.get(FinancingLineRow, line_id)
            if row is None:
                raise NotFoundError(N_("This line of the financing plan no longer exists."))
            row.label, row.amount_cents = label.strip(), amount_cents
        return Changes.of_case(case_id)

    def remove_plan_line(self, case_id: str, line_id: str) -> Changes:
        with self._change(case_id, "plan_line_removed", "") as session:
            session.execute(delete(FinancingLineRow).where(FinancingLineRow.id == line_id))
        return Changes.of_case(case_id)

    def plan_line(self, case_id: str, line_id: str) -> PlanLineRecord:
        """One line of the plan, read before it is removed so that it can come back."""
        with self.context.workspace.reading(case_id) as session:
            row = session.get(FinancingLineRow, line_id)
            if row is None:
                raise NotFoundError(N_("This line of the financing plan no longer exists."))
            return PlanLineRecord(
                row.id, FinancingSide(row.side), row.label, row.amount_cents, row.position
            )

    def restore_plan_line(self, case_id: str, record: PlanLineRecord) -> Changes:
        """Put back a removed line at its place (the undo of `remove_plan_line`)."""
        with self._change(case_id, "plan_line_restored", record.label) as session:
            if session.get(FinancingLineRow, record.id) is None:
                session.add(
                    FinancingLineRow(
                        id=record.id,
                        side=FinancingSide(record.side).value,
                        label=record.label,
                        amount_cents=record.amount_cents,
                        position=record.position,
                    )
                )
        return Changes.of_case(case_id)

    def set_forecast(self, case_id: str, year: int, item: str, amount_cents: int) -> Changes:
        if year not in (1, 2, 3):
            raise ValidationError("year", N_("The forecast covers years 1, 2 and 3."))
        if item not in FORECAST_ITEMS:
            raise ValidationError("item", N_("Unknown forecast line {item}."), item=item)
        validation.check_amount(item, amount_cents)
        with self._change(case_id, "forecast_updated", f"{year} {item}") as session:
            session.execute(
                delete(ForecastLine).where(ForecastLine.year == year, ForecastLine.item == item)
            )
            session.add(ForecastLine(year=year, item=item, amount_cents=amount_cents))
        return Changes.of_case(case_id)

    def _change(self, case_id: str, action: str, detail: str) -> AbstractContextManager[Session]:
        return self.context.workspace.changing(case_id, action, detail, self.settings.advisor_name)
