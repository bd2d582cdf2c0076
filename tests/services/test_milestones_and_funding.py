"""Milestones of the pathway, late ones, and the money side of a project."""

from __future__ import annotations

from datetime import date

import pytest

from advisor_app.domain.enums import FinancingSide, FundingDecision, FundingKind
from advisor_app.domain.errors import ValidationError
from advisor_app.services import CaseFilter, FundingDraft, NewCase, Services


def test_a_milestone_past_its_target_is_late_until_done(services: Services) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Solène", "Rivière", opened_on=date(2026, 9, 1))
    )
    case = services.cases.get(case_id)
    diagnosis = next(m for m in case.milestones if m.key == "diagnosis")
    assert diagnosis.late
    assert services.search.cases(CaseFilter(late_only=True))[0].late_milestones >= 2
    services.milestones.mark_done(case_id, "welcome", date(2026, 9, 1))
    services.milestones.mark_done(case_id, "diagnosis", date(2026, 9, 20))
    case = services.cases.get(case_id)
    assert not next(m for m in case.milestones if m.key == "diagnosis").late
    assert case.stage is not None and case.stage.key == "diagnosis"
    (late,) = services.dashboard.figures().late_cases
    assert late.oldest_key == "market_study"
    assert late.count == sum(1 for m in case.milestones if m.late)


def test_a_milestone_cannot_be_done_before_the_case_was_opened(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Joël", "Aubert", opened_on=date(2026, 9, 1)))
    with pytest.raises(ValidationError, match="before the case was opened"):
        services.milestones.mark_done(case_id, "welcome", date(2026, 8, 1))


def test_the_financing_plan_totals_and_balance(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Anaïs", "Barbier"))
    services.funding.add_plan_line(case_id, FinancingSide.NEED, "Camion aménagé", 2_500_000)
    services.funding.add_plan_line(case_id, FinancingSide.RESOURCE, "Apport", 500_000)
    services.funding.add_plan_line(case_id, FinancingSide.RESOURCE, "Prêt d'honneur", 1_500_000)
    plan = services.cases.get(case_id).plan
    assert (plan.total_needs, plan.total_resources, plan.is_balanced) == (
        2_500_000,
        2_000_000,
        False,
    )
    services.funding.add_plan_line(case_id, FinancingSide.RESOURCE, "Microcrédit", 500_000)
    assert services.cases.get(case_id).plan.is_balanced


def test_a_negative_amount_is_refused_everywhere(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Cédric", "Faure"))
    with pytest.raises(ValidationError, match="negative"):
        services.funding.add_plan_line(case_id, FinancingSide.NEED, "Stock", -5)
    with pytest.raises(ValidationError, match="negative"):
        services.funding.add_request(case_id, FundingDraft("Adie", FundingKind.MICROCREDIT, -100))


def test_a_funding_request_records_the_committee_decision(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Yannick", "Brunet"))
    request_id, _c = services.funding.add_request(
        case_id,
        FundingDraft("Initiative Creuse", FundingKind.HONOUR_LOAN, 800_000, date(2026, 10, 2)),
    )
    services.funding.update_request(
        case_id,
        request_id,
        FundingDraft(
            "Initiative Creuse",
            FundingKind.HONOUR_LOAN,
            800_000,
            date(2026, 10, 2),
            FundingDecision.GRANTED,
            800_000,
        ),
    )
    (funding,) = services.cases.get(case_id).funding
    assert funding.decision is FundingDecision.GRANTED
    assert funding.amount_granted_cents == 800_000


def test_notes_are_found_by_the_search(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Bérénice", "Noël"))
    services.notes.add_note(case_id, "Local repéré près de la halle aux grains")
    assert [s.case_id for s in services.search.cases(CaseFilter(text="halle grains"))] == [case_id]


def test_an_attachment_over_the_limit_is_refused_with_the_limit(
    services: Services, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    case_id, _d, _c = services.cases.create(NewCase("Océane", "Mercier"))
    services.settings.set("attachment_limit_bytes", 1024)
    small, big = tmp_path / "devis.pdf", tmp_path / "scan.pdf"
    small.write_bytes(b"%PDF-1.4 small")
    big.write_bytes(b"x" * 2048)
    attachment_id, _c = services.notes.attach(case_id, small)
    assert services.notes.attachment_content(case_id, attachment_id) == (
        "devis.pdf",
        b"%PDF-1.4 small",
    )
    with pytest.raises(ValidationError, match="too large"):
        services.notes.attach(case_id, big)
    assert len(services.cases.get(case_id).attachments) == 1
