"""The committee file's fields travel with a case handed over to another advisor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from advisor_app.domain.enums import FundingKind, Recommendation
from advisor_app.services import FundingDraft, Services
from advisor_app.storage.workspace import Workspace

from .conftest import MovingClock, consent, open_case


def test_a_handed_over_case_keeps_its_committee_file(
    advisor: Services, tmp_path: Path, clock: MovingClock
) -> None:
    advisor.partners.add("Marc", "advisor", folder=tmp_path / "drop")
    case_id = open_case(advisor)
    advisor.cases.update_person(case_id, {"training": "CAP", "household": "Seule, un enfant"})
    advisor.cases.update_project(
        case_id,
        {
            "customer_days": 30,
            "stock_days": 0,
            "strengths": "Réseau local",
            "vigilance": "Loyer élevé",
            "recommendation": Recommendation.FAVOURABLE_WITH_RESERVATIONS,
            "recommended_amount_cents": 500_000,
            "opinion_signed_on": date(2026, 11, 20),
        },
    )
    advisor.funding.add_request(
        case_id,
        FundingDraft(
            "Crédit Mutuel",
            FundingKind.BANK_LOAN,
            2_000_000,
            term_months=84,
            deferral_months=3,
            annual_rate_basis_points=395,
        ),
    )
    consent(advisor, case_id, "Marc")
    package_id, _changes = advisor.exchange.export(case_id, "Marc")

    receiver = Services(Workspace.open(tmp_path / "marc"), clock=clock)
    try:
        receiver.exchange.import_package(advisor.outbox.package_path(package_id))
        received = receiver.cases.get(case_id)
    finally:
        receiver.close()
    sent = advisor.cases.get(case_id)
    assert received.person.training == "CAP" and received.person.household == "Seule, un enfant"
    assert received.project == sent.project
    assert received.project.opinion_signed_on == date(2026, 11, 20)
    [loan] = received.funding
    assert (loan.term_months, loan.deferral_months, loan.annual_rate_basis_points) == (84, 3, 395)
