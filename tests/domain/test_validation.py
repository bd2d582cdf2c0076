"""Rules on what the advisor types refuse bad input with a reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advisor_app.domain import validation
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.money import cents_from_text


def test_an_appointment_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        validation.check_appointment_times(datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 9))
    assert refused.value.field == "minutes"
    assert "before it starts" in str(refused.value)


def test_an_appointment_over_twelve_hours_is_refused() -> None:
    with pytest.raises(ValidationError, match="12 hours"):
        validation.check_appointment_duration(12 * 60 + 1)
    validation.check_appointment_duration(12 * 60)


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="negative"):
        validation.check_amount("amount", -1)
    with pytest.raises(ValidationError, match="negative"):
        cents_from_text("amount", "-12,50")


def test_a_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="future"):
        validation.check_birth_date(date(2030, 1, 1), today=date(2026, 11, 25))
    validation.check_birth_date(date(1990, 1, 1), today=date(2026, 11, 25))


def test_a_milestone_done_before_the_case_was_opened_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the case was opened"):
        validation.check_milestone_done(date(2026, 1, 1), opened_on=date(2026, 2, 1))


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12 500,50", 1_250_050),
        ("12500.5", 1_250_050),
        ("3 000 €", 300_000),
        ("1.234,56", 123_456),
        ("€12,500.50", 1_250_050),
        ("12\u202f500,00\xa0€", 1_250_000),
        ("", 0),
    ],
)
def test_amounts_are_read_as_advisors_type_them(typed: str, cents: int) -> None:
    assert cents_from_text("amount", typed) == cents


def test_text_that_is_not_an_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an amount"):
        cents_from_text("amount", "douze")
