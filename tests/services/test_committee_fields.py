"""The committee file's fields are checked before anything is written: payment terms in
days, a recommendation among the known ones, an amount, loan terms a loan can have."""

from __future__ import annotations

from datetime import date

import pytest

from advisor_app.domain.enums import FundingKind, Outcome, Recommendation
from advisor_app.domain.errors import ValidationError
from advisor_app.services import FundingDraft, NewCase, Services


@pytest.fixture
def case_id(services: Services) -> str:
    created, _d, _c = services.cases.create(NewCase("Zoë", "Lefèvre"))
    return created


def test_a_new_case_has_no_committee_field_given(services: Services, case_id: str) -> None:
    case = services.cases.get(case_id)
    assert (case.person.training, case.person.motivation) == ("", "")
    assert case.project.recommendation is None
    assert case.project.recommended_amount_cents is None
    assert case.project.customer_days is None


def test_a_recommendation_can_be_given_then_withdrawn(services: Services, case_id: str) -> None:
    services.cases.update_project(
        case_id, {"recommendation": "unfavourable", "opinion_signed_on": date(2026, 11, 20)}
    )
    assert services.cases.get(case_id).project.recommendation is Recommendation.UNFAVOURABLE
    services.cases.update_project(case_id, {"recommendation": None, "opinion_signed_on": None})
    project = services.cases.get(case_id).project
    assert project.recommendation is None and project.opinion_signed_on is None


@pytest.mark.parametrize(
    ("values", "field", "sentence"),
    [
        ({"customer_days": 400}, "customer_days", "from 0 to 365"),
        ({"stock_days": -1}, "stock_days", "from 0 to 365"),
        ({"supplier_days": "trente"}, "supplier_days", "is not a whole number"),
        ({"recommendation": "enthusiastic"}, "recommendation", "is not one of the choices"),
        ({"recommended_amount_cents": -5}, "recommended_amount", "negative"),
    ],
)
def test_values_no_committee_file_can_hold_are_refused(
    services: Services, case_id: str, values: dict[str, object], field: str, sentence: str
) -> None:
    revision = services.cases.get(case_id).revision
    with pytest.raises(ValidationError) as refused:
        services.cases.update_project(case_id, values)
    assert refused.value.field == field
    assert sentence in str(refused.value)
    assert services.cases.get(case_id).revision == revision  # nothing was written


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"term_months": 0}, "term_months"),
        ({"term_months": 400}, "term_months"),
        ({"term_months": 24, "deferral_months": 24}, "deferral_months"),
        ({"deferral_months": -1}, "deferral_months"),
        ({"annual_rate_basis_points": 9_000}, "annual_rate"),
    ],
)
def test_loan_terms_no_loan_has_are_refused(
    services: Services, case_id: str, terms: dict[str, int], field: str
) -> None:
    draft = FundingDraft("Crédit Mutuel", FundingKind.BANK_LOAN, 2_000_000, **terms)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as refused:
        services.funding.add_request(case_id, draft)
    assert refused.value.field == field
    assert services.cases.get(case_id).funding == []


def test_anonymising_blanks_the_background_and_the_assessment(
    services: Services, case_id: str
) -> None:
    services.cases.update_person(case_id, {"household": "Mariée, trois enfants"})
    services.cases.update_project(case_id, {"strengths": "Réseau", "vigilance": "Santé"})
    services.cases.close(case_id, Outcome.OTHER)
    services.privacy.anonymise(case_id)
    case = services.cases.get(case_id)
    assert case.person.household == ""
    assert (case.project.strengths, case.project.vigilance) == ("", "")
